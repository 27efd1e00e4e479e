/** The single error type services throw; the error handler turns it into `{error:{code,message,field}}`. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'record') => new AppError('not_found', 404, `No such ${what}.`);
export const forbidden = (message = 'You are not allowed to do that.') => new AppError('forbidden', 403, message);
export const unauthenticated = (code = 'unauthenticated', message = 'Sign in to continue.') =>
  new AppError(code, 401, message);
export const conflict = (message: string, field?: string) => new AppError('conflict', 409, message, field);
export const invalid = (field: string, message: string) => new AppError('invalid', 400, `${field}: ${message}`, field);
