import { ApiProperty } from '@nestjs/swagger';
import { MeProfileDto } from '../../users/dto/user-response.dto.js';
import { TokenPairDto } from './token-response.dto.js';

// Not a `.dto.ts` file on purpose: its properties are classes from other files, for which the
// Swagger CLI plugin emits `await import()` in a sync function under ESM. Documented by hand.

/** `POST /auth/signup`: the new user's own profile and a first token pair. */
export class SignupResponseDto {
  @ApiProperty({ type: () => MeProfileDto, description: 'Your profile, as `GET /users/me`' })
  user!: MeProfileDto;

  @ApiProperty({
    type: () => TokenPairDto,
    nullable: true,
    description:
      'The same body `/auth/login` returns; null while the email awaits verification and ' +
      '`REQUIRE_VERIFIED_EMAIL` is on',
  })
  token!: TokenPairDto | null;
}
