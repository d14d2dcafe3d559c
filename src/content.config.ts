import { defineCollection } from 'astro:content';
import { complaintSchema } from './core/complaint/schema.ts';
import { orgSchema } from './core/org/schema.ts';
import { caseLoader, complaintLoader, organisationLoader, reportFileLoader } from './board/archive-loader.ts';
import { caseEntrySchema } from './board/case-file.ts';
import { reportNarrativeSchema } from './board/report-narrative.ts';

/**
 * The board's content collections. All are filled by our own loaders over the archive reader (not
 * Astro's glob loader, whose YAML parser would turn timestamps into Dates and whose Markdown pipeline
 * passes raw HTML through) and validated by the schemas the CLI and the pull-request check use.
 * - complaints: every complaint's front matter without contact; public ones with their complaint text
 * - organisation: content/org.yaml with its preset filled in
 * - reports: content/reports/YYYY-MM.md — status and, once published, the sanitised narrative
 * - cases: content/cases/*.md — the case library, sanitised
 */
export const collections = {
  complaints: defineCollection({ loader: complaintLoader(), schema: complaintSchema }),
  organisation: defineCollection({ loader: organisationLoader(), schema: orgSchema }),
  reports: defineCollection({ loader: reportFileLoader(), schema: reportNarrativeSchema }),
  cases: defineCollection({ loader: caseLoader(), schema: caseEntrySchema }),
};
