// `faces.detect` for an image sent as bytes over HTTP: a JSON body is capped at 1 MB and base64 adds a third, so the
// picture comes as a streamed multipart upload (the drag & drop path), lands in a private temp folder, is read by
// the Api from there, and is removed.
import fs from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { DetectFacesResponse, Result } from '../../src-preload/api';
import type { Api } from '../api/api-types';
import { receiveFiles, UploadError } from './uploads';

/** The same bound the Api puts on base64 bytes (about 64 MB of image). */
export const MAX_FACE_IMAGE_BYTES = 64 * 1024 ** 2;

export interface FaceUploadLimits {
  maxBytes: number;
  tempRoot: string;
}

function refused(message: string): Result<DetectFacesResponse> {
  return { ok: false, error: { code: 'INVALID_INPUT', message } };
}

/**
 * Answers one multipart request with a single "file" field. `status` is set when the upload itself was refused; null
 * means the body is the Api's own answer, whose status follows its error code like any other call.
 */
export async function detectFacesUpload(api: Api, req: IncomingMessage, limits: FaceUploadLimits): Promise<{ status: number | null; body: Result<DetectFacesResponse> }> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    req.resume();
    return { status: 413, body: refused(`An image of ${declared} bytes is over the ${limits.maxBytes}-byte limit for face detection`) };
  }
  const dir = await fs.mkdtemp(path.join(limits.tempRoot, 'glimpse-faces-'));
  try {
    let files: string[];
    try {
      files = await receiveFiles(req, dir, { maxBytes: limits.maxBytes, maxFiles: 1, tempRoot: limits.tempRoot });
    } catch (error) {
      if (error instanceof UploadError) return { status: error.status, body: refused(error.message.replace('upload limit', 'limit for face detection')) };
      throw error;
    }
    if (files.length === 0) return { status: 400, body: refused('Send the image as multipart/form-data with one "file" field') };
    return { status: null, body: await api.invoke('faces.detect', { path: files[0] }) };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
