package main

import (
	"context"
	"fmt"
	"time"

	"followup/internal/followup"
	"followup/internal/seed"
	"followup/internal/sqlstore"
)

// seedSynthetic loads the synthetic benchmark data set into an empty database through the
// store's own services, all in one transaction: nothing is written unless all of it is, and the
// rows are exactly those the API would write.
func seedSynthetic(ctx context.Context, store *sqlstore.Store, o seed.SyntheticOptions, env environment) error {
	start := time.Now()
	ctx = followup.WithActor(ctx, followup.SystemActor)
	parties, err := store.ListParties(ctx)
	if err != nil {
		return err
	}
	reports, err := store.ListReports(ctx, true)
	if err != nil {
		return err
	}
	if len(parties) > 0 || len(reports) > 0 {
		return fmt.Errorf("seed --synthetic: needs an empty database; %s already holds %d Parties and %d reports", store.Describe(), len(parties), len(reports))
	}
	var res seed.SyntheticResult
	err = store.InTransaction(ctx, func(ctx context.Context) error {
		var err error
		res, err = seed.Synthetic(ctx, store, o)
		return err
	})
	if err != nil {
		return describe(fmt.Errorf("seed --synthetic: %w", err))
	}
	fmt.Fprintf(env.stdout, "synthetic data loaded in %s: %s\n", time.Since(start).Round(100*time.Millisecond), res)
	return nil
}
