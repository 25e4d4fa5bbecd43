/** Names of the activations nimc implements. */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'identity';

/**
 * An elementwise activation φ with its first and second derivatives. ReLU's derivative
 * at 0 is taken as 0, and its second derivative is 0 everywhere it exists.
 */
export interface Activation {
  readonly name: ActivationName;
  /** φ(z). */
  value(z: number): number;
  /** φ′(z). */
  derivative(z: number): number;
  /** φ″(z). */
  secondDerivative(z: number): number;
}
