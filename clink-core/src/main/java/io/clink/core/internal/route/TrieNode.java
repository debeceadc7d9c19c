package io.clink.core.internal.route;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One level of the route trie. See {@link RouteIndex} for the invariants and the concurrency model; this class only
 * holds the per-node mechanics: the child table, the exact-level key and the route rows.
 *
 * <p>Fields are split by audience. {@code children}, {@code plus}, {@code multi} and {@code clusters} are read by
 * lock-free readers, so every change to them is a release store (volatile field, or a {@link VarHandle} release on a
 * table slot) of an object that is never mutated afterwards, except hash-table slots, which only ever go from
 * {@code null} to a node or from a node to {@link #TOMBSTONE}, never backwards. Everything else belongs to the single
 * writer.
 */
final class TrieNode {

  /** Key of a {@code +} node. Identity-compared; never equal to a level's key. */
  static final Object PLUS_KEY = new Object();

  /** Key of a {@code #} node. */
  static final Object MULTI_KEY = new Object();

  /**
   * Marks a removed slot of an open-addressing child table. Removing in place by shifting later entries back would
   * let a concurrent reader skip over a node that moved behind its probe position; a tombstone keeps every probe
   * chain intact until the writer rebuilds the table.
   */
  static final TrieNode TOMBSTONE = new TrieNode(null, new byte[0], 0);

  /** Child arrays up to this length are scanned linearly; longer ones are open-addressing tables. */
  static final int LIST_MAX = 8;

  /** A hash table shrinking to this many live children becomes a list again (hysteresis against flapping). */
  static final int LIST_SHRINK = 4;

  static final int MIN_TABLE = 16;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TrieNode[].class);

  private static final byte[] EMPTY_LEVEL = new byte[0];

  /** {@code byte[]} (all chars below 256) or {@code char[]} for an exact level; PLUS_KEY, MULTI_KEY; null at root. */
  final @Nullable Object key;

  /** {@link String#hashCode()} of the level; 0 for wildcard nodes and the root. */
  final int hash;

  final @Nullable TrieNode parent;

  /** Null, an exact-size list (length &lt;= LIST_MAX) or a power-of-two open-addressing table. */
  volatile TrieNode @Nullable [] children;

  volatile @Nullable TrieNode plus;

  volatile @Nullable TrieNode multi;

  /** Distinct cluster ids with at least one row here; immutable once published; null when there is no row. */
  volatile int @Nullable [] clusters;

  // ---- writer-only state ----

  /** Live children when {@code children} is a hash table (list length otherwise). */
  int childLive;

  /** Live plus tombstoned slots when {@code children} is a hash table. */
  int childUsed;

  int rowCount;
  int @Nullable [] rowCluster;
  @Nullable Object @Nullable [] rowId;
  long @Nullable [] rowLanes;

  TrieNode(@Nullable TrieNode parent, @Nullable Object key, int hash) {
    this.parent = parent;
    this.key = key;
    this.hash = hash;
  }

  boolean isExact() {
    return key instanceof byte[] || key instanceof char[];
  }

  /** True when the writer may prune this node: no rows and no children of any kind. */
  boolean isEmpty() {
    return rowCount == 0 && children == null && plus == null && multi == null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Level keys and hashing

  /** Hash of {@code s[from, to)}, equal to {@code s.substring(from, to).hashCode()} without the substring. */
  static int levelHash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }

  static Object makeKey(String s, int from, int to) {
    if (from == to) {
      return EMPTY_LEVEL;
    }
    boolean latin1 = true;
    for (int i = from; i < to && latin1; i++) {
      latin1 = s.charAt(i) < 256;
    }
    if (latin1) {
      byte[] b = new byte[to - from];
      for (int i = from; i < to; i++) {
        b[i - from] = (byte) s.charAt(i);
      }
      return b;
    }
    char[] c = new char[to - from];
    s.getChars(from, to, c, 0);
    return c;
  }

  boolean keyEquals(String s, int from, int to) {
    int len = to - from;
    Object k = key;
    if (k instanceof byte[]) {
      byte[] b = (byte[]) k;
      if (b.length != len) {
        return false;
      }
      for (int i = 0; i < len; i++) {
        if (s.charAt(from + i) != (char) (b[i] & 0xFF)) {
          return false;
        }
      }
      return true;
    }
    if (k instanceof char[]) {
      char[] c = (char[]) k;
      if (c.length != len) {
        return false;
      }
      for (int i = 0; i < len; i++) {
        if (s.charAt(from + i) != c[i]) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** The level text of an exact node, a wildcard's text, or "" for the root. Cold path (listing, validation). */
  String levelText() {
    Object k = key;
    if (k == PLUS_KEY) {
      return "+";
    }
    if (k == MULTI_KEY) {
      return "#";
    }
    if (k instanceof byte[]) {
      byte[] b = (byte[]) k;
      char[] c = new char[b.length];
      for (int i = 0; i < b.length; i++) {
        c[i] = (char) (b[i] & 0xFF);
      }
      return new String(c);
    }
    if (k instanceof char[]) {
      return new String((char[]) k);
    }
    return "";
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Child table: reader side

  /** Finds the exact child for level {@code s[from, to)} whose hash is {@code h}. Lock-free, allocation-free. */
  @Nullable TrieNode findChild(String s, int from, int to, int h) {
    TrieNode[] tab = children;
    if (tab == null) {
      return null;
    }
    int n = tab.length;
    if (n <= LIST_MAX) {
      for (TrieNode c : tab) {
        if (c.hash == h && c.keyEquals(s, from, to)) {
          return c;
        }
      }
      return null;
    }
    int mask = n - 1;
    for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
      TrieNode c = (TrieNode) SLOT.getAcquire(tab, i);
      if (c == null) {
        return null;
      }
      if (c != TOMBSTONE && c.hash == h && c.keyEquals(s, from, to)) {
        return c;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Child table: writer side

  /** Adds an exact child known to be absent. */
  void addChild(TrieNode child) {
    TrieNode[] tab = children;
    if (tab == null) {
      children = new TrieNode[] {child};
      return;
    }
    int n = tab.length;
    if (n <= LIST_MAX) {
      if (n < LIST_MAX) {
        TrieNode[] list = Arrays.copyOf(tab, n + 1);
        list[n] = child;
        children = list;
      } else {
        TrieNode[] grown = new TrieNode[MIN_TABLE * 2];
        for (TrieNode c : tab) {
          insertPlain(grown, c);
        }
        insertPlain(grown, child);
        childLive = n + 1;
        childUsed = n + 1;
        children = grown;
      }
      return;
    }
    if ((childUsed + 1) * 4 > n * 3) {
      tab = rehash(tab, childLive + 1);
      children = tab;
    }
    int mask = tab.length - 1;
    for (int i = spread(child.hash) & mask; ; i = (i + 1) & mask) {
      TrieNode c = tab[i];
      if (c == null || c == TOMBSTONE) {
        if (c == null) {
          childUsed++;
        }
        childLive++;
        SLOT.setRelease(tab, i, child);
        return;
      }
    }
  }

  /** Removes an exact child (by identity); the node must be present. */
  void removeChild(TrieNode child) {
    TrieNode[] tab = children;
    if (tab == null) {
      throw new IllegalStateException("no child table");
    }
    int n = tab.length;
    if (n <= LIST_MAX) {
      if (n == 1) {
        children = null;
        return;
      }
      TrieNode[] list = new TrieNode[n - 1];
      int j = 0;
      for (TrieNode c : tab) {
        if (c != child) {
          list[j++] = c;
        }
      }
      children = list;
      return;
    }
    int mask = n - 1;
    for (int i = spread(child.hash) & mask; ; i = (i + 1) & mask) {
      TrieNode c = tab[i];
      if (c == null) {
        throw new IllegalStateException("child missing from table");
      }
      if (c == child) {
        SLOT.setRelease(tab, i, TOMBSTONE);
        childLive--;
        break;
      }
    }
    if (childLive <= LIST_SHRINK) {
      TrieNode[] list = new TrieNode[childLive];
      int j = 0;
      for (TrieNode c : tab) {
        if (c != null && c != TOMBSTONE) {
          list[j++] = c;
        }
      }
      childLive = 0;
      childUsed = 0;
      children = list.length == 0 ? null : list;
    }
  }

  private TrieNode[] rehash(TrieNode[] old, int live) {
    int cap = MIN_TABLE;
    while (live * 2 > cap) {
      cap <<= 1;
    }
    TrieNode[] tab = new TrieNode[cap];
    int count = 0;
    for (TrieNode c : old) {
      if (c != null && c != TOMBSTONE) {
        insertPlain(tab, c);
        count++;
      }
    }
    childLive = count;
    childUsed = count;
    return tab;
  }

  /** Insert into a table nobody else can see yet. */
  private static void insertPlain(TrieNode[] tab, TrieNode child) {
    int mask = tab.length - 1;
    int i = spread(child.hash) & mask;
    while (tab[i] != null) {
      i = (i + 1) & mask;
    }
    tab[i] = child;
  }

  /** Number of exact children (writer side). */
  int exactChildCount() {
    TrieNode[] tab = children;
    if (tab == null) {
      return 0;
    }
    return tab.length <= LIST_MAX ? tab.length : childLive;
  }

  /** Calls {@code action} for every exact child (writer side). */
  void forEachExactChild(java.util.function.Consumer<TrieNode> action) {
    TrieNode[] tab = children;
    if (tab == null) {
      return;
    }
    for (TrieNode c : tab) {
      if (c != null && c != TOMBSTONE) {
        action.accept(c);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rows (writer side)

  /** Appends a row; capacity grows by one while small (most nodes carry one to three rows), then by half. */
  void appendRow(int clusterId, Object id, long lanes) {
    int n = rowCount;
    int[] rc = rowCluster;
    if (rc == null || n == rc.length) {
      int cap = n < 4 ? n + 1 : n + (n >> 1);
      rowCluster = rc = rc == null ? new int[cap] : Arrays.copyOf(rc, cap);
      rowId = rowId == null ? new Object[cap] : Arrays.copyOf(rowId, cap);
      rowLanes = rowLanes == null ? new long[cap] : Arrays.copyOf(rowLanes, cap);
    }
    rc[n] = clusterId;
    rowId[n] = id;
    rowLanes[n] = lanes;
    rowCount = n + 1;
  }

  /** Removes row {@code i} by moving the last row into its place; frees the arrays when the last row goes. */
  void removeRow(int i) {
    int last = --rowCount;
    if (last == 0) {
      rowCluster = null;
      rowId = null;
      rowLanes = null;
      return;
    }
    rowCluster[i] = rowCluster[last];
    rowId[i] = rowId[last];
    rowLanes[i] = rowLanes[last];
    rowId[last] = null;
    if (rowCluster.length > 8 && last * 2 < rowCluster.length) {
      rowCluster = Arrays.copyOf(rowCluster, last + (last >> 1));
      rowId = Arrays.copyOf(rowId, rowCluster.length);
      rowLanes = Arrays.copyOf(rowLanes, rowCluster.length);
    }
  }

  boolean hasRowOf(int clusterId) {
    int[] rc = rowCluster;
    for (int i = 0; i < rowCount; i++) {
      if (rc[i] == clusterId) {
        return true;
      }
    }
    return false;
  }
}
