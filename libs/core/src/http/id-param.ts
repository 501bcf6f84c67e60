import { Param, ParseUUIDPipe } from '@nestjs/common';

const uuid = new ParseUUIDPipe();

/** A UUID path parameter (`:id` unless named): 400 for anything else. */
export const IdParam = (name = 'id') => Param(name, uuid);
