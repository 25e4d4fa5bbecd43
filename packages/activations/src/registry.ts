import type { Activation, ActivationName } from './activation.js';
import { identity, relu, sigmoid, tanh } from './functions.js';

const activations: Record<ActivationName, Activation> = { sigmoid, tanh, relu, identity };

/** The names accepted by `getActivation`, in a stable order. */
export const activationNames: readonly ActivationName[] = ['sigmoid', 'tanh', 'relu', 'identity'];

/** Returns true when `name` is one of `activationNames`. */
export function isActivationName(name: string): name is ActivationName {
  return (activationNames as readonly string[]).includes(name);
}

/** Looks an activation up by name, and throws a RangeError that lists the valid names otherwise. */
export function getActivation(name: string): Activation {
  if (!isActivationName(name)) {
    throw new RangeError(`unknown activation "${name}": expected one of ${activationNames.join(', ')}`);
  }
  return activations[name];
}
