//! Reports roll agencies up their tree: a province's figures include its communes'.

use std::collections::HashMap;

/// Each agency in the subtree of `root` (the root included), paired with the agency its
/// figures roll up into on a report of `root` by agency: the root itself, or the child of the
/// root whose branch holds it. Empty when `root` is not in `parents`.
pub fn roll_up(parents: &[(i64, Option<i64>)], root: i64) -> Vec<(i64, i64)> {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for &(id, parent) in parents {
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(id);
        }
    }
    if !parents.iter().any(|&(id, _)| id == root) {
        return Vec::new();
    }
    let mut pairs = vec![(root, root)];
    let mut stack: Vec<(i64, i64)> = children.get(&root).into_iter().flatten().map(|&child| (child, child)).collect();
    while let Some((agency, branch)) = stack.pop() {
        // A malformed tree with a cycle must not loop forever.
        if pairs.iter().any(|&(seen, _)| seen == agency) {
            continue;
        }
        pairs.push((agency, branch));
        stack.extend(children.get(&agency).into_iter().flatten().map(|&child| (child, branch)));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Province 1 with a service centre 2, former district 3 holding commune 4, and commune 5.
    const TREE: [(i64, Option<i64>); 6] =
        [(1, None), (2, Some(1)), (3, Some(1)), (4, Some(3)), (5, Some(1)), (9, None)];

    fn sorted(mut pairs: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
        pairs.sort();
        pairs
    }

    #[test]
    fn a_province_rolls_grandchildren_into_their_branch() {
        assert_eq!(sorted(roll_up(&TREE, 1)), vec![(1, 1), (2, 2), (3, 3), (4, 3), (5, 5)]);
    }

    #[test]
    fn a_commune_is_its_own_only_member() {
        assert_eq!(roll_up(&TREE, 4), vec![(4, 4)]);
    }

    #[test]
    fn other_trees_are_left_out() {
        assert!(!roll_up(&TREE, 1).iter().any(|&(id, _)| id == 9));
    }

    #[test]
    fn an_unknown_root_has_no_members() {
        assert!(roll_up(&TREE, 42).is_empty());
    }

    #[test]
    fn a_cycle_does_not_hang() {
        let cyclic = [(1, Some(2)), (2, Some(1))];
        assert_eq!(sorted(roll_up(&cyclic, 1)), vec![(1, 1), (2, 2)]);
    }
}
