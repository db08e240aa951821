// Command ferretdb runs FerretDB 1.x embedded, on PostgreSQL or SQLite, as the
// development MongoDB-protocol database for Switchboard's demo and tests.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (loopback)")
	handler := flag.String("handler", "sqlite", "storage: postgresql or sqlite")
	pgURL := flag.String("postgresql-url", "", "PostgreSQL connection string for -handler postgresql, e.g. postgres://postgres@127.0.0.1:5433/ferretdb")
	data := flag.String("data", "data/ferretdb", "directory holding the SQLite databases (-handler sqlite)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	flag.Parse()

	if err := run(*listen, *handler, *pgURL, *data, *logLevel); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

// backend returns the ferretdb.Config fields that choose and locate the storage.
func backend(handler, pgURL, data string) (ferretdb.Config, error) {
	switch handler {
	case "postgresql":
		if pgURL == "" {
			return ferretdb.Config{}, errors.New("-handler postgresql needs -postgresql-url")
		}
		return ferretdb.Config{Handler: "postgresql", PostgreSQLURL: pgURL}, nil
	case "sqlite":
		dir, err := filepath.Abs(data)
		if err != nil {
			return ferretdb.Config{}, err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return ferretdb.Config{}, err
		}
		return ferretdb.Config{Handler: "sqlite", SQLiteURL: "file:" + dir + "/"}, nil
	default:
		return ferretdb.Config{}, fmt.Errorf("bad -handler %q: want postgresql or sqlite", handler)
	}
}

func run(listen, handler, pgURL, data, logLevel string) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	config, err := backend(handler, pgURL, data)
	if err != nil {
		return err
	}
	config.Listener = ferretdb.ListenerConfig{TCP: listen}
	config.Logger = logger

	f, err := ferretdb.New(&config)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	fmt.Println(f.MongoDBURI())
	return f.Run(ctx)
}
