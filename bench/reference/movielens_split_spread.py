"""Item-mean and global-mean test RMSE of ml-100k over many random 80/20 user splits.

Usage: python3 bench/reference/movielens_split_spread.py [path/to/ml-100k] [splits]

Split i draws its test users from numpy.random.default_rng(100 + i) by the rule nimc's
splits follow, so it is the split of seed 100 + i, and none of them is a split of seeds
0 to 99. The result shows how much the baselines vary from split to split, computed
without nimc.
"""
import sys

import numpy as np

from movielens_baselines import baseline_rmse

folder = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/movielens/ml-100k"
splits = int(sys.argv[2]) if len(sys.argv) > 2 else 100

data = np.loadtxt(f"{folder}/u.data", dtype=int)
users, items, ratings = data[:, 0] - 1, data[:, 1] - 1, data[:, 2].astype(float)
n_users, n_items = users.max() + 1, items.max() + 1
n_test = round(0.2 * n_users)

item_rmse, global_rmse = [], []
for split in range(splits):
    test_users = np.random.default_rng(100 + split).permutation(n_users)[:n_test]
    item, overall, _ = baseline_rmse(users, items, ratings, test_users, n_users, n_items)
    item_rmse.append(item)
    global_rmse.append(overall)

print(f"{splits} splits: item mean {np.mean(item_rmse):.4f} ± {np.std(item_rmse, ddof=1):.4f}, "
      f"global mean {np.mean(global_rmse):.4f} ± {np.std(global_rmse, ddof=1):.4f} (mean ± sd)")
