/* bulletin-private.h - helpers shared by the bulletin files of the layout
 * stage (compose.c: article text; bulletin.c: the column flow). */
#ifndef VB_LAYOUT_BULLETIN_PRIVATE_H
#define VB_LAYOUT_BULLETIN_PRIVATE_H

#include "layout-private.h"

#include <glib.h>

typedef enum { VB_PART_LEAD, VB_PART_BODY, VB_PART_LIST, VB_PART_PHOTO } vb_part_kind;

/** One paragraph (or photo) of an article, before it is shaped. */
typedef struct vb_part {
  vb_part_kind kind;
  const char *text;       /* NFC; a photo's caption (may be NULL) */
  vb_span span;           /* the record field it comes from */
  bool keep;              /* stays with the start of the next part */
  const vb_value *photo;  /* VB_PART_PHOTO: the photos[] item */
  size_t photo_index;     /* its 0-based index in photos */
} vb_part;

/** An article's text: the event's `article` as written, or composed. */
typedef struct vb_article {
  vb_arena *arena;         /* borrowed: strings live there */
  const char *headline;
  vb_span span, head_span;
  const char *byline;      /* NULL: none */
  vb_span byline_span;
  GArray *parts;           /* vb_part: lead, body paragraphs, list items */
  GArray *photos;          /* vb_part of kind VB_PART_PHOTO, in record order */
} vb_article;

/** Fills `a` (arena and arrays already made) from event `ev` of organization
 *  `org`; `bulletin` is the bulletin's settings (organization.bulletin) or NULL. */
void vb_article_compose(vb_article *a, const vb_value *ev, const vb_value *org,
                        const vb_value *bulletin);

#endif
