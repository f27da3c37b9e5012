/**
 * Discord's limits, as the API enforces them. The renderer packs and pages by this table, and the loopback fake
 * (test/fakes/discord) refuses with 400 / 50035 whatever breaks it, so a test fails where Discord would.
 * Lengths are JS string lengths (UTF-16 units): never fewer than Discord's count, so conservative.
 *
 * Sources (discord/discord-api-docs at c98d64b, 2026-08-06), cross-checked against @discordjs/builders' predicates:
 *   [msg]  developers/resources/message.mdx: "Create Message" (content up to 2000, up to 10 embeds) and
 *          "Embed Limits" (title 256, description 4096, 25 fields, field name 256 / value 1024, footer 2048,
 *          author 256, and 6000 summed over title, description, field names/values, footer and author of all embeds)
 *   [cmp]  developers/components/reference.mdx: legacy messages up to 5 action rows; a row holds 5 buttons or one
 *          select; button label max 80; custom_id 1-100 and unique within a message; string select options max 25
 *          (min 1), option label/value/description max 100, placeholder max 150; text input max_length 1-4000,
 *          value max 4000, placeholder max 100; label max 45
 *   [rsp]  developers/interactions/receiving-and-responding.mdx "Modal": title max 45, 1-5 components
 *   [cmd]  developers/interactions/application-commands.mdx: name 1-32, description 1-100, 25 options, 25 choices
 *   [ref]  developers/reference.mdx "Error Messages": code 50035 "Invalid Form Body" with the failing path in `errors`
 */
export const DISCORD = {
  /** [msg] */
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** [cmp] */
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  selectOptionsMin: 1,
  selectOptions: 25,
  selectOptionText: 100,
  placeholder: 150,
  /** [rsp] / [cmp] */
  modalTitle: 45,
  modalInputsMin: 1,
  modalInputs: 5,
  inputLabel: 45,
  inputValue: 4000,
  inputMaxLength: 4000,
  inputPlaceholder: 100,
  /** [cmd] */
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  commandChoices: 25,
  /** [msg] attachment description (alt text) max 1024 */
  attachmentDescription: 1024,
  attachments: 10,
} as const;

/** [ref] The error code Discord answers a payload that breaks any of the limits above with. */
export const INVALID_FORM_BODY = 50035;
