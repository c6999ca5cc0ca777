import { describe, expect, it } from 'vitest';
import { correlateWithReference } from './correlate-with-reference';
import { kendall } from './kendall';
import { pearson } from './pearson';
import { spearman } from './spearman';
import { logit } from './transform';

const reference = { m1: 0.6, m2: 0.65, m3: 0.7, m4: 0.72, m5: 0.75 };
const tasks = {
  cars: { m1: 0.4, m2: 0.5, m3: 0.45, m4: 0.6, m5: 0.7 },
  pets: { m1: 0.7, m2: 0.72, m3: 0.8, m5: 0.85, extra: 0.9 },
  normals: { m1: 30, m2: 28, m3: 29, m4: 25, m5: 24 },
};

describe('correlateWithReference', () => {
  const rows = correlateWithReference({
    reference,
    tasks,
    transform: 'logit',
    taskTransforms: { normals: 'negate' },
    methods: ['pearson', 'spearman', 'kendall'],
    aggregate: 'mean',
  });

  it('gives one row per task then the aggregate, each equal to the direct correlations of the transformed values', () => {
    expect(rows.map((r) => [r.task, r.kind])).toEqual([
      ['cars', 'task'],
      ['pets', 'task'],
      ['normals', 'task'],
      ['mean', 'aggregate'],
    ]);
    const cars = rows[0];
    const x = cars.models.map((m) => logit(reference[m as keyof typeof reference]));
    const y = cars.models.map((m) => logit(tasks.cars[m as keyof typeof tasks.cars]));
    expect(cars.x).toEqual(x);
    expect(cars.y).toEqual(y);
    expect(cars.pearson).toEqual(pearson(x, y));
    expect(cars.spearman).toEqual(spearman(x, y));
    expect(cars.kendall).toEqual(kendall(x, y));
  });

  it('leaves out and lists models missing from a task or from the reference', () => {
    const pets = rows[1];
    expect(pets.models).toEqual(['m1', 'm2', 'm3', 'm5']);
    expect(pets.missing).toEqual(['m4']);
    expect(pets.notInReference).toEqual(['extra']);
    expect(pets.n).toBe(4);
  });

  it('negates an error metric so that larger is better', () => {
    expect(rows[2].y).toEqual([-30, -28, -29, -25, -24]);
    expect(rows[2].spearman!.coefficient).toBeGreaterThan(0.8);
  });

  it("'mean' averages transformed values over tasks, on the models every task has", () => {
    const mean = rows[3];
    expect(mean.models).toEqual(['m1', 'm2', 'm3', 'm5']);
    expect(mean.missing).toEqual(['m4']);
    const expectedM1 = (logit(0.4) + logit(0.7) - 30) / 3;
    expect(mean.y[0]).toBeCloseTo(expectedM1, 14);
  });

  it('supports named groups of tasks and defaults to pearson + spearman', () => {
    const grouped = correlateWithReference({
      reference,
      tasks,
      transform: 'logit',
      taskTransforms: { normals: 'negate' },
      aggregate: { recognition: ['cars', 'pets'] },
    });
    const recognition = grouped.find((r) => r.task === 'recognition')!;
    expect(recognition.kind).toBe('aggregate');
    expect(recognition.kendall).toBeUndefined();
    expect(recognition.pearson).toBeDefined();
    expect(recognition.spearman).toBeDefined();
  });

  it('reports bad input naming the task, model and value', () => {
    const call = (extra: object) => () =>
      correlateWithReference({ reference, tasks: { cars: tasks.cars }, transform: 'logit', ...extra });
    expect(call({ tasks: { cars: { ...tasks.cars, m3: 1.2 } } })).toThrow(
      "task 'cars' of model 'm3' is 1.2, but 'logit' needs a value in (0, 1)",
    );
    expect(call({ tasks: { cars: { m1: 0.5, m2: 0.6 } } })).toThrow(
      "task 'cars' shares 2 model(s) with the reference (m1, m2); need at least 3",
    );
    expect(call({ tasks: { cars: { m1: 0.5, m2: 0.5, m3: 0.5 } } })).toThrow("task 'cars' is constant");
    expect(call({ tasks: { cars: { ...tasks.cars, m2: Number.NaN } }, transform: 'none' })).toThrow(
      "task 'cars' of model 'm2' must be a finite number, got NaN",
    );
    expect(call({ aggregate: { all: ['cars', 'dogs'] } })).toThrow(
      "aggregate 'all' names task 'dogs', which is not in tasks",
    );
    expect(call({ methods: ['pearson', 'tau'] })).toThrow(
      'methods must contain only pearson, spearman, kendall, got "tau"',
    );
    expect(call({ taskTransforms: { dogs: 'negate' } })).toThrow("taskTransforms names task 'dogs'");
    expect(call({ aggregate: 'median' })).toThrow(
      `aggregate must be 'mean' or a record of name -> task names, got "median"`,
    );
    expect(call({ reference: [0.1, 0.2, 0.3] })).toThrow('reference must be a record of model -> value, got an array');
  });
});
