/**
 * The activity timeline. GOV.UK Frontend has no timeline component, so this
 * follows the pattern services build from its parts: an ordered list, newest
 * first, each entry a small heading (what happened), a byline (who, and when
 * in UK time) and a plain list of what changed.
 */
import { bylinePrefix, changeLines, entryTitle, ACTIVITY_TEXT } from "../activity-text";
import type { ActivityEntry } from "../api/client";
import { formatDateTime } from "../format";
import { html, type Interpolation, type SafeHtml } from "../html";

export interface TimelineOptions {
  /** 3 under a section's `h2` (the user's details); 2 on a page of its own. */
  headingLevel: 2 | 3;
  /** A line saying whom the entry is about (the Activity page). */
  subject?: (entry: ActivityEntry) => Interpolation;
}

function title(entry: ActivityEntry, level: 2 | 3): SafeHtml {
  const text = entryTitle(entry);
  return level === 2
    ? html`<h2 class="govuk-heading-s app-timeline__title">${text}</h2>`
    : html`<h3 class="govuk-heading-s app-timeline__title">${text}</h3>`;
}

function item(entry: ActivityEntry, options: TimelineOptions): SafeHtml {
  const changes = changeLines(entry);
  return html`<li class="app-timeline__item">
  ${title(entry, options.headingLevel)}
  <p class="govuk-body-s app-timeline__byline">${bylinePrefix(entry)}<time datetime="${entry.occurred_at}">${formatDateTime(entry.occurred_at)}</time></p>
  ${options.subject?.(entry)}
  ${changes.length ? html`<ul class="govuk-list app-timeline__changes">${changes.map((line) => html`<li>${line}</li>`)}</ul>` : ""}
</li>`;
}

/** Entries to add to a timeline already on the page. */
export function timelineItems(entries: readonly ActivityEntry[], options: TimelineOptions): SafeHtml {
  return html`${entries.map((entry) => item(entry, options))}`;
}

/** The timeline, with ‘Show older activity’ when the API has more (`nextCursor`). */
export function timeline(entries: readonly ActivityEntry[], options: TimelineOptions, nextCursor: string | null | undefined): SafeHtml {
  return html`<ol class="app-timeline" data-timeline>
  ${timelineItems(entries, options)}
</ol>
${nextCursor
    ? html`<button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" data-show-older>${ACTIVITY_TEXT.showOlder}</button>`
    : ""}`;
}
