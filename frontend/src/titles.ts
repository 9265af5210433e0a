/** `document.title` for a page, as GOV.UK services write it. */
export function pageTitle(page: string, serviceName: string, hasErrors = false): string {
  return `${hasErrors ? "Error: " : ""}${page} - ${serviceName} - GOV.UK`;
}

/** The default service name, until `/auth/config` says otherwise. */
export const DEFAULT_SERVICE_NAME = "Register of training providers";
