/**
 * Where a user's photo is served (`GET /users/:id/photo`), versioned by its hash so clients may
 * cache it forever; null without a photo.
 */
export function userPhotoUrl(user: { id: string; photoHash?: string | null }): string | null {
  return user.photoHash ? `/api/v1/users/${user.id}/photo?v=${user.photoHash}` : null;
}
