"""The space concerns are found in (latent_space.py): tf-idf, LSA, silhouette scoring."""

import numpy as np
import pytest

from .test_cluster_models import ARREARS, INSURANCE


def _identity(tokens):
    return tokens


def _same_sparse(a, b) -> bool:
    """Equal to the last bit, including the order of each row's stored entries."""
    return (type(a) is type(b) and a.shape == b.shape and a.dtype == b.dtype
            and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
            and np.array_equal(a.data, b.data))


def _random_units(seed: int, n: int) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    words = [f"词{i}" for i in range(40)] + ["工资", "拖欠", "社保", "a", "B", "b", ""]
    return [[words[j] for j in rng.integers(0, len(words), rng.integers(0, 12))]
            for _ in range(n)]


@pytest.mark.parametrize("tokens", [
    ARREARS + INSURANCE,
    [["拖欠", "工资", "拖欠"], ["工资", "拖欠"], ["社保"], [], ["社保", "社保", "工资"]],
    _random_units(0, 200),
    _random_units(1, 31),
], ids=["two-concerns", "repeats-and-empty", "random-200", "random-31"])
def test_tfidf_matrix_is_the_vectorizers_to_the_last_bit(tokens):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from voiceminer.latent_space import tfidf_matrix

    vec = TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True)
    expected = vec.fit_transform(tokens)
    X, terms = tfidf_matrix(tokens, min_df=2)
    assert terms == vec.get_feature_names_out().tolist()
    assert _same_sparse(X, expected)


@pytest.mark.parametrize("tokens", [[["一"], ["二"], ["三"]], [[], []]],
                         ids=["no-repeated-term", "no-tokens"])
def test_tfidf_matrix_fails_where_the_vectorizer_does(tokens):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from voiceminer.latent_space import tfidf_matrix

    with pytest.raises(ValueError):
        TfidfVectorizer(analyzer=_identity, min_df=2).fit_transform(tokens)
    with pytest.raises(ValueError):
        tfidf_matrix(tokens, min_df=2)


def test_tfidf_matrix_orders_row_entries_by_first_appearance():
    """By hand: columns are alphabetical (乙 U+4E59 before 甲 U+7532), but 甲 appears first in
    the corpus, so every row stores 甲 (column 1) before 乙 (column 0), as the vectorizer does."""
    from voiceminer.latent_space import tfidf_matrix

    X, terms = tfidf_matrix([["甲", "乙"], ["乙", "甲"], ["乙", "甲", "甲"]], min_df=2)
    assert terms == ["乙", "甲"]
    assert X.indices.tolist() == [1, 0, 1, 0, 1, 0]


@pytest.mark.parametrize("n, dtype, sample", [(300, np.float64, 300), (2000, np.float64, 700),
                                              (1500, np.float32, 500)],
                         ids=["whole", "sampled", "float32"])
def test_sampled_silhouette_is_silhouette_score_to_the_last_bit(n, dtype, sample):
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    from voiceminer.latent_space import sampled_silhouette

    Z = np.random.default_rng(0).normal(size=(n, 8)).astype(dtype)
    Z /= np.linalg.norm(Z, axis=1, keepdims=True)
    score = sampled_silhouette(Z, sample, random_state=3)
    for k in (2, 3, 5):
        labels = KMeans(k, n_init=1, random_state=0).fit_predict(Z)
        assert score(labels) == silhouette_score(Z, labels, sample_size=sample, random_state=3)


def test_lsa_of_a_large_theme_is_fitted_on_a_sample(monkeypatch):
    """Beyond LSA_SAMPLE rows the basis comes from a fixed sample and rows are projected in
    slices (bounded memory at a million posts); below it, the full fit as before."""
    import numpy as np
    from scipy import sparse

    from voiceminer import latent_space

    X = sparse.random(300, 40, density=0.2, random_state=1, format="csr")
    full = latent_space.lsa(X, 8, 0)
    assert full.dtype == np.float64 and np.allclose(np.linalg.norm(full, axis=1)[
        np.asarray(X.getnnz(axis=1)) > 0], 1)
    monkeypatch.setattr(latent_space, "LSA_SAMPLE", 120)
    sampled = latent_space.lsa(X, 8, 0)
    assert sampled.shape == (300, 8) and sampled.dtype == np.float32
    assert np.array_equal(sampled, latent_space.lsa(X, 8, 0))  # same seed, same coordinates
    live = np.asarray(X.getnnz(axis=1)) > 0
    assert np.allclose(np.linalg.norm(sampled[live], axis=1), 1, atol=1e-5)


def test_widespread_terms_are_those_most_units_say_in_column_order():
    import numpy as np
    from scipy import sparse

    from voiceminer.latent_space import widespread_terms

    # column df: 3, 1, 2, 3, 1 (rows × terms)
    X = sparse.csr_matrix(np.array([[1, 0, 1, 1, 0],
                                    [1, 1, 0, 1, 0],
                                    [1, 0, 1, 1, 1]], dtype=float))
    assert widespread_terms(X, 2).tolist() == [0, 3]
    assert widespread_terms(X, 3).tolist() == [0, 2, 3]
    assert widespread_terms(X, 4).tolist() == [0, 1, 2, 3]  # a tie goes to the earlier column
    assert widespread_terms(X, 9).tolist() == [0, 1, 2, 3, 4]


def test_lsa_of_a_theme_with_many_terms_keeps_the_widespread_ones(monkeypatch):
    """Beyond LSA_TERMS terms the basis is fitted on the most widespread terms only: the rare
    terms left out change nothing, however many there are."""
    import numpy as np
    from scipy import sparse

    from voiceminer import latent_space

    common = sparse.random(200, 30, density=0.3, random_state=2, format="csr")
    rare = sparse.random(200, 400, density=0.004, random_state=3, format="csr")
    rare.data[:] = 0.01
    X = sparse.hstack([common, rare]).tocsr()
    monkeypatch.setattr(latent_space, "LSA_TERMS", 30)
    assert latent_space.widespread_terms(X, 30).tolist() == list(range(30))
    Z = latent_space.lsa(X, 6, 0)
    assert Z.shape == (200, 6) and Z.dtype == np.float32
    expected = latent_space.lsa(common, 6, 0)
    assert np.allclose(np.abs(Z), np.abs(expected), atol=1e-5)
