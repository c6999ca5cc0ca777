/** Indices of each class, in ascending order: `result[label]` (classes without images get an empty list). */
export function indicesByClass(labels: Int32Array, numClasses: number): number[][] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const list = byClass[labels[i]];
    if (!list) throw new Error(`indicesByClass: label ${labels[i]} at index ${i} is outside [0, ${numClasses})`);
    list.push(i);
  }
  return byClass;
}
