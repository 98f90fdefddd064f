"""Learned theme coding: a linear model over character n-grams, stored without pickle.

Rules (the codebook) are precise but literal; "这个月又少发了八百" is pay without a pay keyword.
``ThemeModel`` generalises from labelled units — either a person's annotations
(``voiceminer train``) or the codebook's own high-precision matches on the corpus being analysed
(self-training, ``seed_model``).
"""

from .model import ThemeModel, load_model
from .seeds import seed_model

__all__ = ["ThemeModel", "load_model", "seed_model"]
