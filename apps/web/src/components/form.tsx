'use client';

import type { ReactNode } from 'react';

// How a failed mutation is shown: zod's field errors next to their fields, anything
// else (conflict, forbidden, rate limit, network) as one message above the actions.
type FieldErrors = Record<string, string[] | undefined>;

export interface FormErrors {
  message: string | null;
  fields: FieldErrors;
}

const NO_ERRORS: FormErrors = { message: null, fields: {} };

export function readFormErrors(error: unknown): FormErrors {
  if (!error) return NO_ERRORS;
  const data = (error as { data?: { zodError?: { formErrors?: string[]; fieldErrors?: FieldErrors } | null } }).data;
  const zodError = data?.zodError;
  if (zodError) {
    const formErrors = zodError.formErrors ?? [];
    return { message: formErrors.length ? formErrors.join(' ') : null, fields: zodError.fieldErrors ?? {} };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    message: message === 'Failed to fetch' ? 'Could not reach the server. Check your connection and try again.' : message,
    fields: {},
  };
}

/**
 * The errors of one nested input object (`{ orgId, settings: { … } }`): per field when
 * the server names the full path (`settings.url`); a flattened error that only names
 * the object (`settings`) cannot be placed next to a field, so it joins the message.
 */
export function scopeFormErrors(errors: FormErrors, key: string): FormErrors {
  const prefix = `${key}.`;
  const fields: FieldErrors = {};
  for (const [name, messages] of Object.entries(errors.fields)) {
    if (name.startsWith(prefix)) fields[name.slice(prefix.length)] = messages;
  }
  const message = [errors.message, ...(errors.fields[key] ?? [])].filter(Boolean).join(' ');
  return { message: message || null, fields };
}

/** A labelled field: the control, a hint, and the errors that name it. */
export function Field(props: { label: string; htmlFor: string; hint?: ReactNode; errors?: string[]; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.htmlFor}>{props.label}</label>
      {props.children}
      {props.hint && !props.errors?.length ? <p className="field-hint">{props.hint}</p> : null}
      {props.errors?.length ? (
        <p className="field-error" id={`${props.htmlFor}-error`} role="alert">
          {props.errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

export function FormMessage(props: { message: string | null | undefined; tone?: 'error' | 'success' }) {
  if (!props.message) return null;
  const tone = props.tone ?? 'error';
  return (
    <p className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {props.message}
    </p>
  );
}
