/**
 * Sets `key` and, past `max` entries, drops the oldest (a Map iterates in insertion order), so long benchmarks
 * keep the simulator's memory flat. Returns the dropped entry, if any.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): [K, V] | undefined {
  map.delete(key);
  map.set(key, value);
  if (map.size <= max) return undefined;
  const oldest = map.entries().next().value;
  if (oldest !== undefined) map.delete(oldest[0]);
  return oldest;
}
