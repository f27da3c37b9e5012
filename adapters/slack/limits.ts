/**
 * Slack's limits, as the Web API enforces them. The Block Kit renderer, the modals and the manifest are built by
 * this table, and the loopback fake (test/fakes/slack) refuses with Slack's own errors whatever breaks it
 * (`invalid_blocks`, `msg_too_long`, `msg_blocks_too_long`, `invalid_arguments`). Lengths are JS string lengths.
 *
 * Sources: docs.slack.dev Block Kit reference (blocks, block elements, composition objects) and the modal view
 * reference, as restated in @slack/types 2.x doc comments (node_modules/@slack/types/dist/block-kit/*.d.ts,
 * views.d.ts); chat.postMessage reference (text truncated past 40,000: `msg_too_long`); Slack's app manifest
 * reference (docs.slack.dev/reference/app-manifest) for slash commands.
 */
export const SLACK = {
  /** chat.postMessage: "up to 50 blocks"; views (modals, App Home): "Max of 100 blocks" (views.d.ts). */
  messageBlocks: 50,
  viewBlocks: 100,
  /** chat.postMessage `text`: longer is refused as `msg_too_long`. */
  messageText: 40_000,
  /** Our fallback `text` stays a notification-sized preview; the blocks carry the message. */
  fallbackText: 4000,
  /**
   * Text of all blocks of one message together. Undocumented: Slack answers `msg_blocks_too_long` at about
   * 13,200 characters (slackapi/bolt-js#2509, measured 13,172-13,297 by block mix); 12,000 keeps a margin and is
   * the figure the markdown block documents for itself ("Limit 12,000 characters", blocks.d.ts).
   */
  blocksText: 12_000,
  /** Section: text 1-3000; fields at most 10, each 2000 (blocks.d.ts SectionBlock). */
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  /** Header: plain text max 150 (blocks.d.ts HeaderBlock). */
  header: 150,
  /** Context: at most 10 elements (context block reference); each text object 1-3000 (composition objects). */
  contextElements: 10,
  contextText: 3000,
  /** Actions: at most 25 elements (blocks.d.ts ActionsBlock). */
  actionsElements: 25,
  /** block_id max 255, unique in a message (blocks.d.ts Block). */
  blockId: 255,
  /** Button: text 75, value 2000 (block-elements.d.ts Button); action_id 255, unique in its block (extensions.d.ts). */
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** static_select: options 1-100 (block-elements.d.ts StaticSelect); option text 75, value 150 (composition). */
  selectOptionsMin: 1,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  /** Select placeholder: text max 150 (extensions.d.ts). */
  placeholder: 150,
  /** Modal: title, submit and close max 24; private_metadata 3000; callback_id 255 (views.d.ts). */
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  /** Input block: label and hint max 2000 (blocks.d.ts InputBlock). */
  inputLabel: 2000,
  inputHint: 2000,
  /** plain_text_input: max_length at most 3000 (block-elements.d.ts PlainTextInput); placeholder 150. */
  inputMaxLength: 3000,
  inputPlaceholder: 150,
  /** App manifest: at most 50 slash commands; command 32; description 2000; usage hint 1000. */
  manifestCommands: 50,
  commandName: 32,
  commandDescription: 2000,
  usageHint: 1000,
} as const;
