// govuk-frontend ships JavaScript without type declarations; this declares
// the one function the app uses. The build maps the import to the published
// `/assets/govuk-frontend.min.js`, so it is not bundled into the app.
declare module "govuk-frontend" {
  export interface InitAllConfig {
    scope?: Element | Document;
    errorSummary?: { disableAutoFocus?: boolean };
    notificationBanner?: { disableAutoFocus?: boolean };
    onError?: (error: unknown) => void;
  }
  export function initAll(config?: InitAllConfig): void;
}
