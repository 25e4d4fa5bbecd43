"""Writes test/fixtures/group-offset.json: a small rating set with demographic groups and
the group-offset features and out-of-fold least-squares weights computed by numpy.

Usage: python3 apps/cli/scripts/group_offset_fixture.py

The values check apps/cli/src/experiments/group-offset-model.ts against an independent
implementation of the same formulas.
"""
import json
import pathlib

import numpy as np

rng = np.random.default_rng(7)
n_users, n_movies, n_ratings, n_folds = 40, 12, 300, 4
sizes = {"occupation": 5, "age": 3, "gender": 2}
groups = {name: rng.integers(0, size, n_users) for name, size in sizes.items()}
users = rng.integers(0, n_users, n_ratings)
movies = rng.integers(0, n_movies - 1, n_ratings)  # the last movie has no rating
values = rng.integers(1, 6, n_ratings).astype(float)
user_fold = rng.integers(0, n_folds, n_users)
genres = (rng.random((n_movies, 4)) < 0.4).astype(float)
shrinkage = {"prior": "popularity-genre", "movie": 3.0, "group": 10.0}


def popularity_genre_prior(sums, counts):
    """Weighted least squares of the movie means on [1, log(1 + count), genres]."""
    design = np.hstack([np.ones((n_movies, 1)), np.log1p(counts)[:, None], genres])
    weights = counts / (counts + 5)
    means = np.where(counts > 0, sums / np.maximum(counts, 1), 0)
    root = np.sqrt(weights)[:, None]
    coefficients, *_ = np.linalg.lstsq(design * root, means * root[:, 0], rcond=None)
    return design @ coefficients


popularity_prior = True


def features(mask):
    """Shrunk mean per movie and offsets per (movie, group), from the ratings in mask."""
    mu = values[mask].mean()
    sums = np.bincount(movies[mask], values[mask], n_movies)
    counts = np.bincount(movies[mask], None, n_movies)
    prior = popularity_genre_prior(sums, counts) if popularity_prior else np.full(n_movies, mu)
    shrunk = (sums + shrinkage["movie"] * prior) / (counts + shrinkage["movie"])
    offsets = {}
    for name, size in sizes.items():
        key = movies[mask] * size + groups[name][users[mask]]
        group_sums = np.bincount(key, values[mask], n_movies * size).reshape(n_movies, size)
        group_counts = np.bincount(key, None, n_movies * size).reshape(n_movies, size)
        offsets[name] = (group_sums + shrinkage["group"] * shrunk[:, None]) / (group_counts + shrinkage["group"]) - shrunk[:, None]
    return shrunk, offsets


def design(shrunk, offsets, rows):
    return np.stack(
        [np.ones(rows.sum()), shrunk[movies[rows]]]
        + [offsets[name][movies[rows], groups[name][users[rows]]] for name in sizes],
        axis=1,
    )


rating_fold = user_fold[users]
full = np.zeros((n_ratings, 5))
for fold in range(n_folds):
    inside = rating_fold == fold
    full[inside] = design(*features(~inside), inside)
weights, *_ = np.linalg.lstsq(full, values, rcond=None)
oof_rmse = float(np.sqrt(((full @ weights - values) ** 2).mean()))

masked = full[:, [0, 1, 4]]  # intercept, shrunk mean, gender offset
masked_weights, *_ = np.linalg.lstsq(masked, values, rcond=None)

shrunk, offsets = features(np.ones(n_ratings, bool))
popularity_prior = False
global_shrunk, _ = features(np.ones(n_ratings, bool))
fixture = {
    "genres": genres.tolist(),
    "globalPriorShrunkMean": global_shrunk.tolist(),
    "sizes": sizes,
    "groups": {name: groups[name].tolist() for name in sizes},
    "ratings": {"users": users.tolist(), "movies": movies.tolist(), "values": values.tolist()},
    "nMovies": n_movies,
    "ratingFold": rating_fold.tolist(),
    "shrinkage": shrinkage,
    "shrunkMean": shrunk.tolist(),
    "offsets": {name: offsets[name].ravel().tolist() for name in sizes},
    "weights": weights.tolist(),
    "outOfFoldRmse": oof_rmse,
    "genderOnlyWeights": masked_weights.tolist(),
}
out = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "group-offset.json"
out.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {out}")
