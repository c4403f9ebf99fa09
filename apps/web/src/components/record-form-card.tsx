'use client';

import type { FormEvent, ReactNode, RefObject } from 'react';
import { FormMessage } from './form.tsx';

/**
 * A settings card whose form adds a record, or edits the one chosen from the list below
 * it: heading, the fields, the server's message, "saved", and the actions.
 */
export function RecordFormCard(props: {
  title: string;
  formRef: RefObject<HTMLFormElement | null>;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onChange: () => void;
  onReset?: () => void;
  message: string | null;
  saved: string | null;
  isPending: boolean;
  submitLabel: string;
  /** Set while editing: closes the form and goes back to adding. */
  onDone?: () => void;
  children: ReactNode;
}) {
  return (
    <section className="card" aria-label={props.title}>
      <div className="card-header">
        <div>
          <h2>{props.title}</h2>
          <p className="muted">Changes apply to sessions dispatched from now on.</p>
        </div>
      </div>
      <form
        ref={props.formRef}
        className="card-body form"
        onSubmit={props.onSubmit}
        onChange={props.onChange}
        onReset={props.onReset}
        noValidate
      >
        {props.children}
        <FormMessage message={props.message} />
        <FormMessage message={props.saved} tone="success" />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={props.isPending}>
            {props.isPending ? 'Saving…' : props.submitLabel}
          </button>
          {props.onDone ? (
            <button type="button" className="button" onClick={props.onDone}>
              {props.saved ? 'Done' : 'Cancel'}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}

/** The "Edit" button of a row: opens the record in the form card above the list. */
export function EditRecordButton(props: { name: string; onEdit: () => void }) {
  return (
    <button
      type="button"
      className="button button-small"
      aria-label={`Edit ${props.name}`}
      onClick={() => {
        props.onEdit();
        window.scrollTo({ top: 0, behavior: 'smooth' });
      }}
    >
      Edit
    </button>
  );
}
