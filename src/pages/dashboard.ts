/**
 * The claims dashboard: an insurer's open insurance claims, a page only employees may see
 * (the app-role example of the training outline). The rows are fixed demo data.
 */
export interface InsuranceClaim {
  readonly id: string;
  readonly policyholder: string;
  readonly kind: string;
  readonly amount: string;
  readonly status: string;
}

export const DEMO_INSURANCE_CLAIMS: readonly InsuranceClaim[] = Object.freeze([
  { id: 'CLM-10421', policyholder: 'Alex Wilber', kind: 'Motor', amount: '€ 2,350', status: 'Assessing' },
  { id: 'CLM-10422', policyholder: 'Isaiah Langer', kind: 'Home contents', amount: '€ 780', status: 'Approved' },
  { id: 'CLM-10425', policyholder: 'Nestor Wilke', kind: 'Travel', amount: '€ 1,120', status: 'Waiting for documents' },
  { id: 'CLM-10431', policyholder: 'Alex Wilber', kind: 'Home building', amount: '€ 14,900', status: 'Loss adjuster assigned' },
  { id: 'CLM-10433', policyholder: 'Isaiah Langer', kind: 'Motor', amount: '€ 640', status: 'Paid' },
]);
