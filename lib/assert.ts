// Narrowing helpers for `noUncheckedIndexedAccess`: where the code has proven an index is in range
// (or a key was just set), these say so once and throw if the proof is ever wrong, instead of a
// bare `!` that would let `undefined` travel on and fail somewhere far away.

/** `value`, or a thrown error naming `what` when it is undefined. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Expected ${what} to be defined.`);
  return value;
}

/** `list[index]`, for an index the caller knows is in range; throws when it is not. */
export function at<T>(list: readonly T[], index: number): T {
  if (index < 0 || index >= list.length) throw new RangeError(`Index ${index} is out of range (length ${list.length}).`);
  return list[index] as T;
}

/** The first element of a list the caller knows is not empty; throws when it is. */
export const first = <T>(list: readonly T[]): T => at(list, 0);

/** A list with at least one element: destructuring its head needs no check. */
export type NonEmpty<T> = [T, ...T[]];

export const isNonEmpty = <T>(list: T[]): list is NonEmpty<T> => list.length > 0;
