package main

import (
	"context"
	"fmt"
	"time"

	"followup/internal/followup"
	"followup/internal/seed"
	"followup/internal/sqlite"
)

// seedSynthetic bulk-loads the synthetic benchmark data set into an empty database, in one
// transaction: nothing is written unless all of it is.
func seedSynthetic(ctx context.Context, store *sqlite.Store, o seed.SyntheticOptions, env environment) error {
	start := time.Now()
	ctx = followup.WithActor(ctx, followup.SystemActor)
	bulk, err := store.BeginBulk(ctx)
	if err != nil {
		return describe(fmt.Errorf("seed --synthetic: %w", err))
	}
	res, err := seed.Synthetic(ctx, bulk, o)
	if err != nil {
		_ = bulk.Rollback()
		return err
	}
	if err := bulk.Commit(ctx); err != nil {
		return fmt.Errorf("seed --synthetic: %w", err)
	}
	fmt.Fprintf(env.stdout, "synthetic data loaded in %s: %s\n", time.Since(start).Round(100*time.Millisecond), res)
	return nil
}
