/** Settings of an email inbox (IMAP intake, SMTP replies, acknowledgement), validated when the inbox is saved. */
import { z } from 'zod';

/** `tls`: TLS from the first byte (993/465); `starttls`: upgrade required (143/587); `none`: cleartext. */
const security = z.enum(['tls', 'starttls', 'none']);

const server = (defaultPort: number) =>
  z
    .object({
      host: z.string().trim().min(1).max(255),
      port: z.number().int().min(1).max(65535).default(defaultPort),
      security: security.default('tls'),
      /** Accept a server certificate that does not verify (self-signed test servers only). */
      allowInvalidCertificate: z.boolean().default(false),
      user: z.string().min(1).max(320),
      password: z.string().min(1).max(1024),
    })
    .strict();

export const emailSettings = z
  .object({
    imap: server(993)
      .extend({
        /** The mailbox read for new mail. */
        mailbox: z.string().min(1).max(255).default('INBOX'),
        /** What is read the first time the inbox connects: unseen mail, everything, or only what arrives next. */
        initialSync: z.enum(['unseen', 'all', 'none']).default('unseen'),
      })
      .strict(),
    smtp: server(465),
    /** The support address customers write to and replies come from. */
    fromAddress: z.string().trim().toLowerCase().email().max(320),
    fromName: z.string().trim().max(200).optional(),
    /** Put a per-conversation address (support+c-<token>@domain) in Reply-To. */
    replyToken: z.boolean().default(true),
    afterIngest: z
      .object({
        markSeen: z.boolean().default(true),
        /** Mailbox to move ingested mail to (e.g. "Archive"); null keeps it where it is. */
        moveTo: z.string().min(1).max(255).nullable().default(null),
      })
      .strict()
      .default({}),
    autoAcknowledge: z
      .object({
        enabled: z.boolean().default(false),
        /** `{number}` becomes the conversation number, `{subject}` its subject. */
        text: z
          .string()
          .min(1)
          .max(2000)
          .default(
            'Thank you for your message. We have received it as conversation #{number} and will answer you as soon as we can.',
          ),
      })
      .strict()
      .default({}),
    /** Safety-net poll of the mailbox, also the only intake on servers without IDLE. */
    pollIntervalS: z.number().int().min(10).max(3600).default(60),
  })
  .strict();

export type EmailSettings = z.infer<typeof emailSettings>;
export type ServerSettings = EmailSettings['smtp'];
