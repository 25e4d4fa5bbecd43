import { getActivation, type ActivationName } from '@nimc/activations';
import { buildUserFeatures, itemMeanRatings, loadMovieLens, type MovieLensDataset } from '@nimc/datasets';
import { predictObserved } from '@nimc/objective';
import { fitModel } from './fit.js';
import { ratingFeaturesConfig, paperConfig, type MethodConfig } from './movielens-configs.js';
import { prepareSplit } from './movielens-split.js';
import { rmse, summarize } from './statistics.js';

/**
 * One configuration of the ablation, described by its changes to the Table 1 recipe of
 * Zhong et al. (NeurIPS 2019).
 */
export interface AblationVariant {
  name: string;
  config: MethodConfig;
}

function variant(name: string, base: MethodConfig, split: Partial<MethodConfig['split']>, training: Partial<MethodConfig['training']> = {}, ensemble = base.ensemble): AblationVariant {
  return { name, config: { split: { ...base.split, ...split }, training: { ...base.training, ...training }, ensemble } };
}

// The paper's features with zeros or shrunk movie means at the unrated positions of the
// rating matrix, built from the fitted users' ratings so the held-out users stay unseen.
const zeros: Partial<MethodConfig['split']> = { missingEntries: 'zero', meanShrinkage: 0, movieFeatureSource: 'fit' };
const means = (beta: number): Partial<MethodConfig['split']> => ({
  missingEntries: 'movie-mean',
  meanShrinkage: beta,
  movieFeatureSource: 'fit',
});

/**
 * The settings compared on held-out training users. The list starts with the details that
 * Zhong et al. leave open (scaling of the singular vectors, the values at unrated positions
 * of the rating matrix, the L2 penalty), then adds bias and movie mean-rating features to
 * the zero-filled features and removes each again.
 */
export const ablationVariants: AblationVariant[] = [
  variant('zeros, unit singular vectors, l2 0', paperConfig, { ...zeros, singularVectorScale: 'unit' }, { l2: 0 }),
  variant('zeros, √n singular vectors, l2 0', paperConfig, zeros, { l2: 0 }),
  variant('zeros, σ-scaled singular vectors, l2 0', paperConfig, { ...zeros, singularVectorScale: 'singular-value' }, { l2: 0 }),
  variant('zeros, unit singular vectors, l2 1e-3', paperConfig, { ...zeros, singularVectorScale: 'unit' }, { l2: 0.001 }),
  variant('zeros, √n singular vectors, l2 1e-3', paperConfig, zeros, { l2: 0.001 }),
  variant('zeros, √n singular vectors, l2 3e-3', paperConfig, zeros, { l2: 0.003 }),
  variant('zeros, √n singular vectors, l2 1e-2', paperConfig, zeros, { l2: 0.01 }),
  variant('movie means, √n singular vectors, l2 1e-3', paperConfig, means(0), { l2: 0.001 }),
  variant('movie means, √n singular vectors, l2 3e-3', paperConfig, means(0), { l2: 0.003 }),
  variant('movie means, √n singular vectors, l2 1e-2', paperConfig, means(0), { l2: 0.01 }),
  variant('movie means, √n singular vectors, l2 3e-2', paperConfig, means(0), { l2: 0.03 }),
  variant('movie means β = 2, √n singular vectors, l2 3e-3', paperConfig, means(2), { l2: 0.003 }),
  variant('movie means β = 2, √n singular vectors, l2 1e-2 (paper config)', paperConfig, means(2), { l2: 0.01 }),
  variant('movie means β = 2, √n singular vectors, l2 3e-2', paperConfig, means(2), { l2: 0.03 }),
  variant('movie means β = 5, √n singular vectors, l2 1e-2', paperConfig, means(5), { l2: 0.01 }),
  variant('movie means β = 5, √n singular vectors, l2 3e-2', paperConfig, means(5), { l2: 0.03 }),
  variant('movie means β = 2, unit singular vectors, l2 1e-2', paperConfig, { ...means(2), singularVectorScale: 'unit' }, { l2: 0.01 }),
  variant('movie means β = 2, σ-scaled singular vectors, l2 1e-2', paperConfig, { ...means(2), singularVectorScale: 'singular-value' }, { l2: 0.01 }),
  variant('+ bias features only', ratingFeaturesConfig, { movieRatingShrinkage: undefined }, {}, 1),
  variant('+ mean-rating and popularity features only', ratingFeaturesConfig, { userBias: false, movieBias: false }, {}, 1),
  variant('+ both, l2 1e-3', ratingFeaturesConfig, {}, { l2: 0.001 }, 1),
  variant('+ both, l2 3e-3 (rating-feature config)', ratingFeaturesConfig, {}, {}, 1),
  variant('rating-feature config without singular-vector features', ratingFeaturesConfig, { singularVectors: 0 }, {}, 1),
  variant('rating-feature config with shrinkage β = 2', ratingFeaturesConfig, { movieRatingShrinkage: 2 }, {}, 1),
  variant('rating-feature config, mean of 3 models', ratingFeaturesConfig, {}, {}, 3),
];

/** Validation results of one variant: RMSE minus the item-mean RMSE, per split. */
export interface AblationResult {
  name: string;
  differences: number[];
  mean: number;
  standardError: number;
}

/**
 * Scores each variant on the held-out training users of every split, against the item
 * mean of the fitted users' ratings on the same users. Test users are never read.
 */
export async function runMovieLensAblation(
  options: { dataset: MovieLensDataset; dataDir: string; splits: number; seed: number; rank: number; activation: ActivationName },
  onResult: (result: AblationResult) => void = () => {},
  variants: AblationVariant[] = ablationVariants,
): Promise<AblationResult[]> {
  const data = await loadMovieLens(options.dataDir, options.dataset);
  const userFeatures = buildUserFeatures(data).matrix;
  const results: AblationResult[] = [];
  for (const { name, config } of variants) {
    const differences: number[] = [];
    for (let s = 0; s < options.splits; s++) {
      const seed = options.seed + s;
      const split = prepareSplit(data, userFeatures, seed, config.split);
      const validation = split.validation.ratings;
      const means = itemMeanRatings(data.movies.length, split.fit.ratings);
      const baseline = rmse(Float64Array.from(validation.movies, (movie) => means[movie] as number), validation.values);

      const sum = new Float64Array(validation.values.length);
      for (let member = 0; member < config.ensemble; member++) {
        const outcome = fitModel(split.fit.problem, split.validation.problem, {
          activation: getActivation(options.activation),
          rank: options.rank,
          ...config.training,
          seed: member === 0 ? `${seed}:nimc` : `${seed}:nimc:${member}`,
        });
        const predictions = predictObserved(outcome.model, split.validation.problem);
        for (let t = 0; t < sum.length; t++) sum[t]! += (predictions[t] as number) / config.ensemble;
      }
      differences.push(rmse(sum, validation.values) - baseline);
    }
    const summary = summarize(differences);
    const result = { name, differences, mean: summary.mean, standardError: summary.standardError };
    results.push(result);
    onResult(result);
  }
  return results;
}
