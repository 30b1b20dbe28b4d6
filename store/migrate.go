package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migrations[v] moves a store from schema v to v+1 inside the migration's
// one transaction.
var migrations = map[uint64]func(tx *bolt.Tx) error{
	1: func(tx *bolt.Tx) error {
		if err := addAuditHead(tx); err != nil {
			return err
		}
		return buildRegister(tx)
	},
	2: buildReferralIndex,
	3: func(*bolt.Tx) error { return nil }, // the key: see migrate
}

// buildRegister (1 → 2) writes the register listing from the records.
func buildRegister(tx *bolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists(bucketRegister)
	if err != nil {
		return err
	}
	providers, err := providerNames(tx)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketEstablishments).ForEach(func(k, v []byte) error {
		var e Establishment
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("establishment %q: %w", k, err)
		}
		data, err := json.Marshal(e.row(providers[e.ProviderID]))
		if err != nil {
			return err
		}
		return b.Put(k, data)
	})
}

// addAuditHead (1 → 2) records the last audit entry's sequence and hash in
// meta, so that removing entries from the end of the trail is detected.
func addAuditHead(tx *bolt.Tx) error {
	k, v := tx.Bucket(bucketAudit).Cursor().Last()
	if k == nil {
		return nil
	}
	var e AuditEntry
	if err := json.Unmarshal(v, &e); err != nil {
		return fmt.Errorf("last audit entry: %w", err)
	}
	sum, err := hex.DecodeString(e.Hash)
	if err != nil || len(sum) != sha256.Size {
		return fmt.Errorf("last audit entry %d has no readable hash", e.Seq)
	}
	return tx.Bucket(bucketMeta).Put(keyAuditHead, append(append([]byte{}, k...), sum...))
}

// migrate backs the store up beside itself and then upgrades it in one
// transaction, with an audit entry; if any step fails nothing changes.
func (s *Store) migrate(from uint64) error {
	backup := fmt.Sprintf("%s.schema%d.bak", s.path, from)
	if err := s.BackupTo(backup); err != nil {
		return fmt.Errorf("backing up before the upgrade from schema %d: %w", from, err)
	}
	if s.key == nil {
		// Schema 4 seals the trail with a key kept beside the store.
		key, err := ensureKey(s.keyPath)
		if err != nil {
			return fmt.Errorf("upgrading from schema %d: %w", from, err)
		}
		s.key = key
	}
	err := s.update(func(tx *Tx) error {
		for v := from; v < SchemaVersion; v++ {
			m := migrations[v]
			if m == nil {
				return fmt.Errorf("no upgrade from schema %d", v)
			}
			if err := m(tx.tx); err != nil {
				return fmt.Errorf("upgrading from schema %d: %w", v, err)
			}
		}
		for _, b := range allBuckets {
			if _, err := tx.tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		if err := tx.tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion)); err != nil {
			return err
		}
		if from < 4 {
			// From the migration's own entry on, entries and records are
			// sealed with the key; the entry names the last unkeyed one,
			// which seals those before it.
			if err := s.keyFrom(tx.tx); err != nil {
				return err
			}
			// The upgrade writes one entry, the next in sequence.
			if err := sealAll(tx.tx, s.key, tx.tx.Bucket(bucketAudit).Sequence()+1); err != nil {
				return err
			}
		}
		tx.audit("store.migrate", "store", Change{Field: "schema", Before: fmt.Sprint(from), After: fmt.Sprint(SchemaVersion)},
			Change{Field: "backup", After: backup})
		return nil
	})
	if err != nil {
		return err
	}
	s.migratedFrom = backup
	return nil
}
