// SPDX-License-Identifier: GPL-2.0
/*
 * Debian's static libelf.a (elfutils 0.192 from bookworm-backports) calls
 * eu_search_tree_* and eu_t* from elfutils' internal libeu.a, which no
 * package ships, so `-static -lelf` fails to link. These are the same thin
 * wrappers over <search.h>, minus the rwlock: scxlive-static is a single
 * thread. Linked into scxlive-static only (live/build.mk).
 *
 * search_tree starts with the tree's root pointer, whatever follows it.
 */
#include <search.h>
#include <stddef.h>

struct eu_search_tree {
	void *root;
};

void eu_search_tree_init(struct eu_search_tree *tree);
void eu_search_tree_fini(struct eu_search_tree *tree, void (*free_node)(void *));
void *eu_tsearch(const void *key, struct eu_search_tree *tree,
		 int (*compar)(const void *, const void *));
void *eu_tfind(const void *key, struct eu_search_tree *tree,
	       int (*compar)(const void *, const void *));
void *eu_tdelete(const void *key, struct eu_search_tree *tree,
		 int (*compar)(const void *, const void *));

void eu_search_tree_init(struct eu_search_tree *tree)
{
	tree->root = NULL;
}

void eu_search_tree_fini(struct eu_search_tree *tree, void (*free_node)(void *))
{
	tdestroy(tree->root, free_node);
}

void *eu_tsearch(const void *key, struct eu_search_tree *tree,
		 int (*compar)(const void *, const void *))
{
	return tsearch(key, &tree->root, compar);
}

void *eu_tfind(const void *key, struct eu_search_tree *tree,
	       int (*compar)(const void *, const void *))
{
	return tfind(key, &tree->root, compar);
}

void *eu_tdelete(const void *key, struct eu_search_tree *tree,
		 int (*compar)(const void *, const void *))
{
	return tdelete(key, &tree->root, compar);
}
