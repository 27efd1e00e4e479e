import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CLIENT_DOCUMENT_MAX_BYTES, CLIENT_DOCUMENT_TYPES, type ClientDocumentType } from '../../../../common/clients.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { placeServerError } from '../../components/forms.ts';
import { clientKeys, clientsApi, documentUrl, type ClientDocumentDto, type ClientDto } from './api.ts';

/** A file's bytes as base64 (without the `data:` prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

/** Why a chosen file cannot be attached to a client (checked again by the server, bytes included), or undefined. */
export function documentProblem(file: { type: string; size: number } | undefined): 'missing' | 'type' | 'size' | undefined {
  if (!file) return 'missing';
  if (!CLIENT_DOCUMENT_TYPES.includes(file.type as ClientDocumentType)) return 'type';
  if (file.size > CLIENT_DOCUMENT_MAX_BYTES) return 'size';
  return undefined;
}

/** Uploads one file to the client's documents; the record reloads to list it. */
export function useDocumentUpload(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => clientsApi.addDocument(clientId, { name: file.name, contentType: file.type as ClientDocumentType, content: await readBase64(file) }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: clientKeys.detail(clientId) }),
  });
}

/**
 * A file input with its own upload button: checks type and size before sending, shows the server's
 * refusal (wrong bytes, too large) on the field, and hands the stored document to `onUploaded`.
 */
export function DocumentUpload({ clientId, id, label, hint, submitLabel, onUploaded }: { clientId: string; id: string; label: string; hint?: string; submitLabel: string; onUploaded: (doc: ClientDocumentDto) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File>();
  const [fileKey, setFileKey] = useState(0);
  const [problem, setProblem] = useState<string>();
  const upload = useDocumentUpload(clientId);
  const placed = placeServerError(upload.error, () => label);
  const fieldError = problem ?? Object.values(placed.fields)[0];
  const send = () => {
    const why = documentProblem(file);
    if (why || !file) return setProblem(t(`clients.documents.problems.${why ?? 'missing'}`));
    upload.mutate(file, {
      onSuccess: (doc) => {
        setFile(undefined);
        setFileKey((k) => k + 1);
        onUploaded(doc);
      },
    });
  };
  return (
    <div className="lantern-document-upload">
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <TextField
        key={fileKey}
        id={id}
        type="file"
        label={label}
        hint={hint ?? t('clients.documents.fileHint')}
        accept={CLIENT_DOCUMENT_TYPES.join(',')}
        className="usa-file-input__input"
        error={fieldError}
        onChange={(e) => {
          setFile(e.target.files?.[0]);
          setProblem(undefined);
          upload.reset();
        }}
      />
      <button type="button" className="usa-button usa-button--outline" disabled={upload.isPending} onClick={send}>
        {upload.isPending ? t('clients.documents.uploading') : submitLabel}
      </button>
    </div>
  );
}

const kb = (size: number) => Math.max(1, Math.round(size / 1024));

/** The client's documents (issue #12, item 1): encrypted at rest, downloaded (never shown inline), each download audited. */
export function DocumentsSection({ client, notify }: { client: ClientDto; notify: (s: string) => void }) {
  const { t } = useTranslation();
  const onSubmit = (e: FormEvent) => e.preventDefault();
  return (
    <section className="lantern-section" aria-labelledby="client-documents">
      <h2 id="client-documents">{t('clients.documents.heading')}</h2>
      <p className="lantern-muted">{t('clients.documents.lead')}</p>
      {client.documents.length === 0 ? (
        <p>{t('clients.documents.empty')}</p>
      ) : (
        <ul className="usa-list" aria-labelledby="client-documents">
          {client.documents.map((d) => (
            <li key={d.id}>
              <a className="usa-link" href={documentUrl(client.id, d.id)} download={d.name}>
                {t('clients.documents.download', { name: d.name, size: kb(d.size) })}
              </a>{' '}
              <span className="lantern-muted">
                {t('clients.documents.addedBy', { name: d.addedBy })} <DateTime value={d.addedAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {client.abilities['client.update'] ? (
        <form className="usa-form usa-form--large" noValidate onSubmit={onSubmit}>
          <DocumentUpload
            clientId={client.id}
            id="client-document-file"
            label={t('clients.documents.file')}
            submitLabel={t('clients.documents.upload')}
            onUploaded={(doc) => notify(t('clients.documents.added', { name: doc.name }))}
          />
        </form>
      ) : null}
    </section>
  );
}
