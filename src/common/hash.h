/* hash.h - fast non-cryptographic 64-bit string hashes: group-by keys,
 * distinct counts, the identity of batch jobs. Not for anything an attacker
 * could exploit beyond slowing a hash table down. */
#ifndef ER_HASH_H
#define ER_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Never 0 (0 marks a free slot in the tables that use it). */
uint64_t er_hash_bytes(const char *s, size_t n);
/* A second, independent hash (together: 128 bits against collisions). */
uint64_t er_hash_bytes2(const char *s, size_t n);

#endif
