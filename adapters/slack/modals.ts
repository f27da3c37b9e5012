import type { FormRequest } from '../../src/messages.js';
import type { Block } from './block-kit.js';
import { SLACK } from './limits.js';

export const FORM_CALLBACK_ID = 'rt-form';
/** Every input's element carries this action id; the block id is the option name. */
const INPUT_ACTION = 'value';

/** What a modal carries through Slack unchanged, so its submission can be run as the command it came from. */
export interface FormMetadata {
  command: string;
  hidden: Record<string, string>;
  /** Channel the command was run in: the group is found by it and the reply is posted there. */
  channel: string;
}

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A Slack modal built from the platform-neutral form request (which the dispatcher built from the zod schema). */
export function formView(form: FormRequest, channel: string): Record<string, unknown> {
  const metadata: FormMetadata = { command: form.command, hidden: form.hidden ?? {}, channel };
  const privateMetadata = JSON.stringify(metadata);
  // Hidden values are a few ids and short options; if they ever outgrow Slack's field, fail loudly, not silently.
  if (privateMetadata.length > SLACK.privateMetadata)
    throw new Error(`form ${form.command}: hidden values exceed ${SLACK.privateMetadata} chars`);
  // Labels and placeholders by Slack's own figures (2,000 and 150), not Discord's 45; a prefilled value is never
  // cut: a smaller maximum is raised to hold it, up to Slack's 3,000.
  const blocks: Block[] = form.fields.map((f) => {
    const max = f.maxLength ? Math.min(Math.max(f.maxLength, f.value?.length ?? 0), SLACK.inputMaxLength) : undefined;
    return {
      type: 'input',
      block_id: f.name,
      optional: !f.required,
      label: plain(cut(f.label, SLACK.inputLabel)),
      element: {
        type: 'plain_text_input',
        action_id: INPUT_ACTION,
        multiline: f.style === 'paragraph',
        ...(f.value ? { initial_value: f.value.slice(0, max ?? SLACK.inputMaxLength) } : {}),
        ...(max ? { max_length: max } : {}),
        ...(f.placeholder ? { placeholder: plain(cut(f.placeholder, SLACK.inputPlaceholder)) } : {}),
      },
    };
  });
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    title: plain(cut(form.title, SLACK.modalTitle)),
    submit: plain('Submit'),
    close: plain('Cancel'),
    private_metadata: privateMetadata,
    blocks,
  };
}

type StateValues = Record<string, Record<string, { type?: string; value?: string | null }>>;

/** Reads a submitted modal back into command options: hidden values first, typed values over them. */
export function formSubmission(view: {
  private_metadata?: string;
  state?: { values?: StateValues };
}): { metadata: FormMetadata; options: Record<string, string> } | null {
  let metadata: FormMetadata;
  try {
    metadata = JSON.parse(view.private_metadata ?? '') as FormMetadata;
  } catch {
    return null;
  }
  if (typeof metadata?.command !== 'string' || typeof metadata.channel !== 'string') return null;
  const options: Record<string, string> = { ...(metadata.hidden ?? {}) };
  for (const [field, inputs] of Object.entries(view.state?.values ?? {})) {
    const v = inputs[INPUT_ACTION]?.value;
    if (typeof v === 'string' && v !== '') options[field] = v;
  }
  return { metadata, options };
}

/**
 * Points a dispatcher refusal at the form field it names (`\`about\` is too long…`), for `response_action: errors`
 * which keeps the modal open with the member's text. Null when no field is named: then the modal closes and the
 * refusal is sent as a private message.
 */
export function fieldErrors(form: { fields: string[] }, text: string): Record<string, string> | null {
  const errors: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const named = form.fields.find((f) => line.includes(`\`${f}\``));
    if (named) errors[named] = errors[named] ? `${errors[named]} ${line}` : line;
  }
  return Object.keys(errors).length ? errors : null;
}
