import { defineCollection } from 'astro:content';
import { complaintSchema } from './core/complaint/schema.ts';
import { orgSchema } from './core/org/schema.ts';
import { complaintLoader, organisationLoader } from './board/archive-loader.ts';

/**
 * The board's content collections. Both are filled by our own archive reader (not Astro's glob loader,
 * whose YAML parser would turn timestamps into Dates) and validated by the same zod schemas the CLI
 * and the pull-request check use.
 */
export const collections = {
  complaints: defineCollection({ loader: complaintLoader(), schema: complaintSchema }),
  organisation: defineCollection({ loader: organisationLoader(), schema: orgSchema }),
};
