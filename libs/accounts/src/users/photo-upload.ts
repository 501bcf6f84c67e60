import {
  applyDecorators,
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiConsumes,
  ApiPayloadTooLargeResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { catchError, Observable, throwError } from 'rxjs';
import { BadRequestProblem, PayloadTooLargeProblem, ProblemDetails } from '#porch/core';
import { MAX_PHOTO_BYTES } from './photos.js';

/** The part of multer's in-memory file that Porch reads. */
export interface UploadedPhoto {
  buffer: Buffer;
}

/** A base64 photo in a form field: 2 MiB of bytes is ~2.7 MiB of text, plus a data-URL prefix. */
const MAX_FIELD_BYTES = Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 1024;

/** Multer's limit errors in the words of the API: size → 413, the rest → 400. */
@Injectable()
class UploadErrors implements NestInterceptor {
  intercept(_: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (
          error instanceof PayloadTooLargeException ||
          (error instanceof BadRequestException && /field value too long/i.test(error.message))
        )
          return throwError(() => new PayloadTooLargeProblem('photo must be at most 2 MiB'));
        if (error instanceof BadRequestException)
          return throwError(() => new BadRequestProblem(`Malformed upload: ${error.message}`));
        return throwError(() => error);
      }),
    );
  }
}

/**
 * A route that takes a `photo` file part (multipart, in memory) besides its JSON or form fields.
 * The file limit sits one byte above 2 MiB so that the API itself answers 413.
 */
export const PhotoUpload = () =>
  applyDecorators(
    UseInterceptors(
      UploadErrors,
      FileInterceptor('photo', {
        limits: { fileSize: MAX_PHOTO_BYTES + 1, files: 1, fields: 20, fieldSize: MAX_FIELD_BYTES },
      }),
    ),
    ApiConsumes('multipart/form-data', 'application/json'),
    ApiPayloadTooLargeResponse({ description: 'Photo over 2 MiB', type: ProblemDetails }),
    ApiUnprocessableEntityResponse({
      description: 'Photo is not a JPEG, PNG or WebP image',
      type: ProblemDetails,
    }),
  );
