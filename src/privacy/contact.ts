import { Decrypter, Encrypter, armor, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { z } from 'zod';

/** What a complainant's contact envelope holds once decrypted. */
export const contactSchema = z.strictObject({
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  address: z.string().optional(),
  /** Raw text kept for a deletion request or an appeal (e.g. an issue body before redaction). */
  original: z.string().optional(),
});
export type Contact = z.output<typeof contactSchema>;

/** Raised when an envelope cannot be opened with the identities at hand. */
export class ContactDecryptionError extends Error {
  override readonly name = 'ContactDecryptionError';
  constructor(id: string, cause: unknown) {
    super(`cannot decrypt the contact of complaint ${id}: ${(cause as Error).message}`);
  }
}

/**
 * Encrypts contact data to every recipient, as an ASCII-armored age envelope that can sit in YAML.
 * Each call uses a fresh file key, so equal contacts give different envelopes.
 */
export async function encryptContact(contact: Contact, recipients: readonly string[]): Promise<string> {
  if (recipients.length === 0) throw new Error('no age recipients configured in org.yaml; contact data cannot be stored');
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const ciphertext = await encrypter.encrypt(JSON.stringify(contactSchema.parse(contact)));
  return armor.encode(ciphertext);
}

/** Opens an envelope with any of the given identities (AGE-SECRET-KEY-1…). */
export async function decryptContact(id: string, envelope: string, identities: readonly string[]): Promise<Contact> {
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  try {
    const text = await decrypter.decrypt(armor.decode(envelope), 'text');
    return contactSchema.parse(JSON.parse(text));
  } catch (cause) {
    throw new ContactDecryptionError(id, cause);
  }
}

/** A new identity and the recipient to put in org.yaml. */
export async function generateKeyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** Identity lines from an age identity file: comments and blank lines skipped. */
export function parseIdentityFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('AGE-SECRET-KEY-'));
}
