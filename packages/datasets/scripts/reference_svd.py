"""Write the reference singular values of an ml-100k training rating matrix.

The training users are the users with ids 1 to TRAIN_USER_ID_MAX. The matrix has one row
per training user and one column per movie of u.item (in file order), the rating at each
rated position and zero elsewhere. numpy's dense SVD gives its top RANK singular values.
A second matrix holds, at the unrated positions, each movie's mean rating shrunk towards
the global mean, (sum + MEAN_SHRINKAGE * global) / (count + MEAN_SHRINKAGE), and the
global mean for movies that no training user rated.
The output contains numbers only, so no MovieLens rows are copied into the repository.

Usage (from the repository root):
    python3 packages/datasets/scripts/reference_svd.py [DATA_DIR]
DATA_DIR is the folder that contains ml-100k; it defaults to ../shared/data/movielens.
"""

import json
import sys
from pathlib import Path

import numpy as np

TRAIN_USER_ID_MAX = 800
RANK = 20
MEAN_SHRINKAGE = 2.0
OUTPUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "ml-100k-svd-reference.json"


def main() -> None:
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/movielens")
    folder = data_dir / "ml-100k"

    with open(folder / "u.item", encoding="latin-1") as item_file:
        movie_ids = [int(line.split("|", 1)[0]) for line in item_file if line.strip()]
    column_of = {movie_id: j for j, movie_id in enumerate(movie_ids)}

    ratings = np.zeros((TRAIN_USER_ID_MAX, len(movie_ids)))
    with open(folder / "u.data", encoding="latin-1") as data_file:
        for line in data_file:
            if not line.strip():
                continue
            user, item, rating, _timestamp = line.split("\t")
            if int(user) <= TRAIN_USER_ID_MAX:
                ratings[int(user) - 1, column_of[int(item)]] += float(rating)

    singular_values = np.linalg.svd(ratings, compute_uv=False)[:RANK]

    # Repeated (user, movie) pairs do not occur in u.data, so "rated" is "nonzero".
    rated = ratings != 0
    counts = rated.sum(axis=0)
    global_mean = ratings.sum() / rated.sum()
    fill = (ratings.sum(axis=0) + MEAN_SHRINKAGE * global_mean) / (counts + MEAN_SHRINKAGE)
    filled = np.where(rated, ratings, fill[np.newaxis, :])
    filled_values = np.linalg.svd(filled, compute_uv=False)[:RANK]

    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    reference = {
        "trainUserIdMax": TRAIN_USER_ID_MAX,
        "rank": RANK,
        "singularValues": [float(value) for value in singular_values],
        "movieMeanFill": {
            "meanShrinkage": MEAN_SHRINKAGE,
            "singularValues": [float(value) for value in filled_values],
        },
    }
    OUTPUT.write_text(json.dumps(reference, indent=2) + "\n")
    print(f"wrote {OUTPUT}")
    print(" ".join(f"{value:.10g}" for value in singular_values))


if __name__ == "__main__":
    main()
