/* hash.c - fast non-cryptographic string hashes. */
#include "hash.h"

#include <string.h>

uint64_t er_hash_bytes(const char *s, size_t n)
{
	/* 64-bit FNV-1a over 8-byte words, finished with a murmur-style mix. */
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)n;
	size_t i = 0;
	while (i + 8 <= n) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		i += 8;
	}
	while (i < n)
		h = (h ^ (unsigned char)s[i++]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h ? h : 1;
}

uint64_t er_hash_bytes2(const char *s, size_t n)
{
	/* A different multiplier and seed, and a different finaliser. */
	uint64_t h = 0x9E3779B97F4A7C15ULL + (uint64_t)n * 0xD6E8FEB86659FD93ULL;
	size_t i = 0;
	while (i + 8 <= n) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xD6E8FEB86659FD93ULL;
		h ^= h >> 32;
		i += 8;
	}
	while (i < n)
		h = (h ^ (unsigned char)s[i++]) * 0xD6E8FEB86659FD93ULL;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}
