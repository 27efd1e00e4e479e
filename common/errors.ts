/** The one error body every API route answers with. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    field?: string;
    requestId?: string;
  };
}
