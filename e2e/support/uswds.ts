import { expect, type Locator } from '@playwright/test';

/**
 * Ticks a USWDS checkbox the way a person does, by its label: USWDS hides the native input off screen
 * and draws its own box, so Playwright's `check()` on the input cannot click it.
 */
export async function tick(checkbox: Locator): Promise<void> {
  const id = await checkbox.getAttribute('id');
  if (!id) throw new Error('tick(): the checkbox has no id for its label to point at');
  await checkbox.page().locator(`label[for="${id}"]`).click();
  await expect(checkbox).toBeChecked();
}

/**
 * Chooses a USWDS radio (a tile on the field log) the way a person does, by tapping its label: the
 * native input is drawn off screen, as for checkboxes.
 */
export async function choose(radio: Locator): Promise<void> {
  const id = await radio.getAttribute('id');
  if (!id) throw new Error('choose(): the radio has no id for its label to point at');
  await radio.page().locator(`label[for="${id}"]`).click();
  await expect(radio).toBeChecked();
}
