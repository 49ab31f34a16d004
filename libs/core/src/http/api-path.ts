/** Path of the REST API under PUBLIC_BASE_URL, for emailed links and the hosted pages' forms. */
export const API_BASE_PATH = '/api/v1';
