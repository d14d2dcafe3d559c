import type { Project } from '../org/schema.ts';

/** Raised when a project lacks the figure its complaint rate divides by (001 §4.2.3 备注1). */
export class MissingProjectFigureError extends Error {
  override readonly name = 'MissingProjectFigureError';
  readonly project: string;
  readonly field: 'households' | 'area';
  constructor(project: string, field: 'households' | 'area') {
    super(
      `project "${project}" has no ${field} in content/org.yaml, so its complaint rate cannot be computed（项目 ${project} 缺少${field === 'households' ? '入住户数' : '在管建筑面积'}）`,
    );
    this.project = project;
    this.field = field;
  }
}

/**
 * 001 §4.2.3 备注1: residential projects divide by occupied households, offices and others by managed
 * floor area in m².
 */
export function denominatorField(project: Pick<Project, 'type'>): 'households' | 'area' {
  return project.type === 'residential' ? 'households' : 'area';
}

/**
 * The period's average of a project's households or area ("期间平均"): a constant figure as is, a
 * monthly map averaged over the months of the period that it gives (the latest earlier month stands
 * in for a month it does not give).
 */
export function averageFigure(project: Project, months: readonly string[]): number {
  const field = denominatorField(project);
  const figure = project[field];
  if (figure === undefined) throw new MissingProjectFigureError(project.key, field);
  if (typeof figure === 'number') return figure;
  const known = Object.keys(figure).sort();
  const values = months.map((month) => {
    const latest = known.filter((candidate) => candidate <= month).at(-1) ?? known[0];
    return latest === undefined ? undefined : figure[latest];
  });
  const present = values.filter((value): value is number => value !== undefined);
  if (present.length === 0) throw new MissingProjectFigureError(project.key, field);
  return present.reduce((sum, value) => sum + value, 0) / present.length;
}

/** A ratio, or null when the denominator is 0 (a month without complaints is no division by zero). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
