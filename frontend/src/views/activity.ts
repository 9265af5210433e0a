/**
 * Activity: the whole service's log, newest first, filtered by action and
 * dates (in the page's address, so filtered views can be linked to and
 * back/forward work), 25 entries at a time with ‘Show older activity’.
 */
import { activityFiltersFrom, activityQuery, activityUrl, isFiltered, FORM_FIELD_FOR, type ActivityFilters } from "../activity-query";
import { ACTION_TITLES, ACTIONS, ACTIVITY_TEXT, SUBJECT_PREFIX, deletedUserText, nameFromHistory } from "../activity-text";
import { api, unexpected, type ActivityEntry, type ActivityPage, type FieldError } from "../api/client";
import { select, textInput } from "../components/fields";
import { button, errorSummary, heading, twoThirds } from "../components/govuk";
import { timeline, timelineItems } from "../components/timeline";
import { messageFor, summaryItems } from "../forms/errors";
import { fullName } from "../format";
import { appendHtml, html, type SafeHtml } from "../html";
import type { Page } from "../page";
import { paths } from "../paths";
import { currentVisit, fail, focus, navigate, type Visit } from "../router";

export const ACTIVITY_PER_PAGE = 25;

/**
 * Makes ‘Show older activity’ fetch the page after `cursor` and add it to
 * the timeline, then move focus to the first entry added (so keyboard and
 * screen reader users carry on from there). The button goes once there is
 * nothing older.
 */
export function mountShowOlder(
  main: HTMLElement,
  cursor: string | null | undefined,
  older: (cursor: string) => Promise<{ items: SafeHtml; nextCursor: string | null | undefined }>,
): void {
  const list = main.querySelector<HTMLElement>("[data-timeline]");
  const showOlder = main.querySelector<HTMLButtonElement>("[data-show-older]");
  if (!list || !showOlder) return;
  let next = cursor;
  let loading = false;
  showOlder.addEventListener("click", () => {
    if (loading || !next) return;
    loading = true;
    const visit = currentVisit();
    older(next)
      .then(({ items, nextCursor }) => {
        if (visit !== currentVisit()) return;
        const firstNew = list.children.length;
        appendHtml(list, items);
        next = nextCursor;
        const added = list.children[firstNew]?.querySelector<HTMLElement>(".app-timeline__title");
        if (added) focus(added);
        if (!next) showOlder.remove();
      })
      .catch((error: unknown) => fail(error, visit))
      .finally(() => {
        loading = false;
      });
  });
}

/** Whom an entry is about, as far as the page can tell. */
interface Subject {
  name: string | null;
  deleted: boolean;
}

type Subjects = Map<string, Subject>;

/**
 * An entry carries only the id of the user it is about, so each user on a
 * page is looked up once. A deleted user is no longer answered for, but
 * their own history still names them.
 */
async function subjectOf(id: string): Promise<Subject> {
  const { data, error, response } = await api.GET("/api/v1/users/{id}", { params: { path: { id } } });
  if (data) return { name: fullName(data), deleted: false };
  if (response.status !== 404) throw unexpected(response, error);
  const history = await api.GET("/api/v1/users/{id}/activity", { params: { path: { id }, query: { per_page: 100 } } });
  if (history.data) return { name: nameFromHistory(id, history.data.items), deleted: true };
  if (history.response.status === 404) return { name: null, deleted: true };
  throw unexpected(history.response, history.error);
}

async function learnSubjects(entries: readonly ActivityEntry[], subjects: Subjects): Promise<void> {
  const ids = [...new Set(entries.flatMap((e) => (e.user_id ? [e.user_id] : [])))].filter((id) => !subjects.has(id));
  const found = await Promise.all(ids.map(subjectOf));
  ids.forEach((id, i) => subjects.set(id, found[i] ?? { name: null, deleted: true }));
}

function subjectLine(entry: ActivityEntry, subjects: Subjects): SafeHtml {
  if (!entry.user_id) return html``;
  const subject = subjects.get(entry.user_id);
  const who = subject && !subject.deleted && subject.name
    ? html`<a class="govuk-link" href="${paths.user(entry.user_id)}">${subject.name}</a>`
    : deletedUserText(subject?.name ?? null);
  return html`<p class="govuk-body-s app-timeline__subject">${SUBJECT_PREFIX}${who}</p>`;
}

async function loadActivity(filters: ActivityFilters, cursor?: string) {
  return api.GET("/api/v1/activity", {
    params: { query: { ...activityQuery(filters), per_page: ACTIVITY_PER_PAGE, ...(cursor ? { cursor } : {}) } },
  });
}

export async function activityView(visit: Visit): Promise<Page> {
  const filters = activityFiltersFrom(visit.query);
  const { data, error, response } = await loadActivity(filters);
  if (!data) {
    if (response.status === 422 && error?.errors) {
      // The API names its parameters (`since`); the form's fields are `from` and `to`.
      const errors = error.errors.map((e) => ({ field: FORM_FIELD_FOR[e.field] ?? e.field, message: e.message }));
      return activityPage(filters, null, new Map(), errors);
    }
    throw unexpected(response, error);
  }
  const subjects: Subjects = new Map();
  await learnSubjects(data.items, subjects);
  return activityPage(filters, data, subjects, []);
}

const FORM_FIELDS = ["action", "from", "to"];

function activityPage(filters: ActivityFilters, data: ActivityPage | null, subjects: Subjects, errors: readonly FieldError[]): Page {
  const filtered = isFiltered(filters);
  const options = { headingLevel: 2 as const, subject: (entry: ActivityEntry) => subjectLine(entry, subjects) };
  const results = !data
    ? ""
    : data.items.length === 0
      ? html`<p class="govuk-body">${filtered ? ACTIVITY_TEXT.noMatchingActivity : ACTIVITY_TEXT.noActivity}</p>`
      : timeline(data.items, options, data.next_cursor);
  return {
    title: "Activity",
    nav: "activity",
    content: html`${errors.length ? errorSummary(summaryItems(errors, FORM_FIELDS)) : ""}
${heading(ACTIVITY_TEXT.heading)}
<form method="get" action="${paths.activity}" novalidate data-form="activity-filters" class="govuk-!-margin-bottom-6">
  <div class="govuk-grid-row">
    <div class="govuk-grid-column-one-third">
      ${select({
        name: "action",
        label: ACTIVITY_TEXT.actionLabel,
        value: filters.action,
        items: [{ value: "", text: ACTIVITY_TEXT.allActions }, ...ACTIONS.map((action) => ({ value: action, text: ACTION_TITLES[action] }))],
      })}
    </div>
    <div class="govuk-grid-column-one-third">
      ${textInput({ name: "from", label: ACTIVITY_TEXT.fromLabel, hint: ACTIVITY_TEXT.dateHint, value: filters.from, error: messageFor(errors, "from"), width: "govuk-input--width-10", autocomplete: "off", spellcheck: false })}
    </div>
    <div class="govuk-grid-column-one-third">
      ${textInput({ name: "to", label: ACTIVITY_TEXT.toLabel, hint: ACTIVITY_TEXT.dateHint, value: filters.to, error: messageFor(errors, "to"), width: "govuk-input--width-10", autocomplete: "off", spellcheck: false })}
    </div>
  </div>
  <div class="govuk-button-group">
    ${button(ACTIVITY_TEXT.applyFilters, { secondary: true })}
    ${filtered ? html`<a class="govuk-link" href="${paths.activity}">${ACTIVITY_TEXT.clearFilters}</a>` : ""}
  </div>
</form>
${twoThirds(results)}`,
    mount(main) {
      const form = main.querySelector<HTMLFormElement>("form[data-form=activity-filters]");
      form?.addEventListener("submit", (event) => {
        event.preventDefault();
        const entries = [...new FormData(form)].map(([k, v]): [string, string] => [k, String(v)]);
        navigate(activityUrl(activityFiltersFrom(new URLSearchParams(entries))));
      });
      mountShowOlder(main, data?.next_cursor, async (cursor) => {
        const older = await loadActivity(filters, cursor);
        if (!older.data) throw unexpected(older.response, older.error);
        await learnSubjects(older.data.items, subjects);
        return { items: timelineItems(older.data.items, options), nextCursor: older.data.next_cursor };
      });
    },
  };
}
