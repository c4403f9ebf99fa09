import { describe, expect, it } from 'vitest';
import { pullRequestPayload, signGitHubBody } from '../../test/fixtures/forge/webhook-payloads.ts';
import { MalformedWebhookError } from './errors.ts';
import { parsePullRequestEvent, verifyGitHubSignature } from './github-webhooks.ts';

const secret = "It's a Secret to Everybody";

describe('verifyGitHubSignature', () => {
  // The test values in GitHub's "Validating webhook deliveries".
  it('accepts the signature GitHub documents for "Hello, World!"', () => {
    const signatureHeader = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifyGitHubSignature({ secret, rawBody: 'Hello, World!', signatureHeader })).toBe(true);
    expect(verifyGitHubSignature({ secret, rawBody: Buffer.from('Hello, World!'), signatureHeader })).toBe(true);
  });

  it('refuses a signature made with another secret or over another body', () => {
    const body = JSON.stringify(pullRequestPayload({ owner: 'acme', repo: 'api', number: 1, headRef: 'b' }));
    expect(verifyGitHubSignature({ secret, rawBody: body, signatureHeader: signGitHubBody('other secret', body) })).toBe(false);
    expect(verifyGitHubSignature({ secret, rawBody: `${body} `, signatureHeader: signGitHubBody(secret, body) })).toBe(false);
  });

  it('refuses a missing header, a wrong prefix, a signature of another length and an unset secret', () => {
    const body = '{"zen":"Keep it logically awesome."}';
    const good = signGitHubBody(secret, body);
    expect(verifyGitHubSignature({ secret, rawBody: body, signatureHeader: good })).toBe(true);
    expect(verifyGitHubSignature({ secret, rawBody: body, signatureHeader: undefined })).toBe(false);
    expect(verifyGitHubSignature({ secret, rawBody: body, signatureHeader: '' })).toBe(false);
    expect(verifyGitHubSignature({ secret, rawBody: body, signatureHeader: good.replace('sha256=', 'sha1=') })).toBe(false);
    expect(verifyGitHubSignature({ secret, rawBody: body, signatureHeader: good.slice('sha256='.length) })).toBe(false);
    expect(verifyGitHubSignature({ secret, rawBody: body, signatureHeader: good.slice(0, -2) })).toBe(false);
    expect(verifyGitHubSignature({ secret, rawBody: body, signatureHeader: `${good}00` })).toBe(false);
    expect(verifyGitHubSignature({ secret, rawBody: body, signatureHeader: `sha256=${'zz'.repeat(32)}` })).toBe(false);
    expect(verifyGitHubSignature({ secret: '', rawBody: body, signatureHeader: signGitHubBody('', body) })).toBe(false);
  });
});

describe('parsePullRequestEvent', () => {
  it('reads a pull_request "closed" delivery with merged: true, ignoring the fields it does not need', () => {
    const payload = pullRequestPayload({
      owner: 'acme',
      repo: 'api',
      number: 17,
      headRef: 'parallax/s1',
      mergedBy: 'octocat',
      at: '2026-11-24T10:15:30Z',
    });
    expect(parsePullRequestEvent(payload)).toEqual({
      action: 'closed',
      number: 17,
      repositoryFullName: 'acme/api',
      headRef: 'parallax/s1',
      headSha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
      baseRef: 'main',
      state: 'closed',
      merged: true,
      mergedAt: new Date('2026-11-24T10:15:30Z'),
      mergedBy: 'octocat',
      mergeSha: 'e5bd3914e2e596debea16f433f57875b5b90bcd6',
      closedAt: new Date('2026-11-24T10:15:30Z'),
      sender: 'octocat',
    });
  });

  it('reads the raw body as well, and a close without merge has no merge facts', () => {
    const raw = JSON.stringify(pullRequestPayload({ owner: 'acme', repo: 'api', number: 3, headRef: 'b', merged: false, sender: 'ada' }));
    expect(parsePullRequestEvent(raw)).toMatchObject({
      state: 'closed',
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeSha: null,
      sender: 'ada',
    });
  });

  it('throws MalformedWebhookError for a payload that is not a pull_request event, or not JSON', () => {
    const payload = pullRequestPayload({ owner: 'acme', repo: 'api', number: 3, headRef: 'b' });
    const { pull_request: _, ...withoutPull } = payload;
    expect(() => parsePullRequestEvent(withoutPull)).toThrow(MalformedWebhookError);
    expect(() => parsePullRequestEvent({ ...payload, number: 'three' })).toThrow(/number/);
    expect(() => parsePullRequestEvent({ ...payload, pull_request: { ...payload.pull_request, merged_at: 'yesterday' } })).toThrow(
      MalformedWebhookError,
    );
    expect(() => parsePullRequestEvent('{"action":')).toThrow(MalformedWebhookError);
    expect(() => parsePullRequestEvent(null)).toThrow(expect.objectContaining({ code: 'INVALID' }));
  });
});
