"""Item-mean and global-mean test RMSE of the MovieLens user splits that nimc draws.

Usage: python3 bench/reference/movielens_baselines.py [path/to/movielens] [dataset] [seed] [splits]

Split i uses seed S + i: the test users are the first round(0.2 * users) entries of
numpy.random.default_rng(S + i).permutation(users), users numbered in file order. nimc's
splitUsers draws the same permutation, so the numbers printed here must equal the
item-mean and global-mean rows of `nimc movielens --seed S --json`.
"""
import sys

import numpy as np


def baseline_rmse(users, items, ratings, test_users, n_users, n_items):
    """Returns the test RMSE of the item mean and of the global mean of the training users."""
    is_test_user = np.zeros(n_users, bool)
    is_test_user[test_users] = True
    test = is_test_user[users]
    train = ~test
    global_mean = ratings[train].mean()
    sums = np.bincount(items[train], ratings[train], n_items)
    counts = np.bincount(items[train], None, n_items)
    item_mean = np.where(counts > 0, sums / np.maximum(counts, 1), global_mean)
    item_rmse = np.sqrt(np.mean((item_mean[items[test]] - ratings[test]) ** 2))
    global_rmse = np.sqrt(np.mean((global_mean - ratings[test]) ** 2))
    return item_rmse, global_rmse, int(test.sum())


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/movielens"
    dataset = sys.argv[2] if len(sys.argv) > 2 else "ml-100k"
    first_seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    splits = int(sys.argv[4]) if len(sys.argv) > 4 else 5

    if dataset == "ml-100k":
        data = np.loadtxt(f"{root}/ml-100k/u.data", dtype=np.int64)[:, :3]
        with open(f"{root}/ml-100k/u.user", encoding="latin-1") as f:
            user_ids = [int(line.split("|", 1)[0]) for line in f if line.strip()]
    else:
        with open(f"{root}/ml-1m/ratings.dat", encoding="latin-1") as f:
            data = np.array([line.split("::")[:3] for line in f if line.strip()], dtype=np.int64)
        with open(f"{root}/ml-1m/users.dat", encoding="latin-1") as f:
            user_ids = [int(line.split("::", 1)[0]) for line in f if line.strip()]

    row_of = {user_id: i for i, user_id in enumerate(user_ids)}
    users = np.array([row_of[u] for u in data[:, 0]])
    _, items = np.unique(data[:, 1], return_inverse=True)
    ratings = data[:, 2].astype(float)
    n_users, n_items = len(user_ids), items.max() + 1
    n_test = round(0.2 * n_users)

    rows = []
    for seed in range(first_seed, first_seed + splits):
        test_users = np.random.default_rng(seed).permutation(n_users)[:n_test]
        item_rmse, global_rmse, count = baseline_rmse(users, items, ratings, test_users, n_users, n_items)
        rows.append((item_rmse, global_rmse))
        print(f"seed {seed}: item-mean {item_rmse:.6f}  global-mean {global_rmse:.6f}  test ratings {count}")

    means = np.mean(rows, axis=0)
    print(f"{dataset}, {splits} splits from seed {first_seed}: item-mean {means[0]:.4f}  global-mean {means[1]:.4f}")


if __name__ == "__main__":
    main()
