package server

import (
	"context"
	"time"

	"github.com/alexedwards/scs/v2"

	"followup/internal/followup"
)

// sessionStore puts the domain's SessionStore under the session library (scs.CtxStore). It
// tells the store which user each session belongs to, read from the session's own data when it
// is saved, so that the events that end a user's sessions (a password change or reset, a
// deactivation) can find them. The store receives the session ids in clear and keeps only
// their hashes.
type sessionStore struct {
	store followup.SessionStore
	codec scs.Codec
}

var _ scs.CtxStore = sessionStore{}

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.store.Find(ctx, token)
}

func (s sessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	_, values, err := s.codec.Decode(data)
	if err != nil {
		return err
	}
	userID, _ := values[sessUserID].(int64)
	// The session is saved once the answer is written; a client that hangs up then must not
	// leave it half saved.
	return s.store.Commit(context.WithoutCancel(ctx), token, userID, data, expiry)
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.store.Delete(context.WithoutCancel(ctx), token)
}

func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s sessionStore) Commit(token string, data []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, data, expiry)
}

func (s sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }
