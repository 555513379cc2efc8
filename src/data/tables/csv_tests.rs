use super::*;

fn ok(text: &str) -> Table {
    parse(text, "d.csv").unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str) -> String {
    parse(text, "d.csv").unwrap_err().0
}

/// A table as a CSV file this reader reads back: features in shortest round-trip form.
fn to_csv(t: &Table) -> String {
    let (header, targets): (String, Vec<String>) = match &t.targets {
        Targets::Classes { labels, .. } => {
            let names: Vec<String> = (1..=t.dims).map(|j| format!("x{j}")).collect();
            let labels = labels.iter().map(usize::to_string).collect();
            (format!("{},label", names.join(",")), labels)
        }
        Targets::Values(values) => ("x,y".into(), values.iter().map(f64::to_string).collect()),
    };
    let mut text = format!("# written by a test\n{header}\n");
    for (i, target) in targets.iter().enumerate() {
        let row: Vec<String> = t.row(i).iter().map(f64::to_string).collect();
        text += &format!("{},{target}\n", row.join(","));
    }
    text
}

#[test]
fn reads_classes_in_any_dimension_and_regression() {
    let t = ok("# made by hand\nx1,x2,x3,label\n\n1,2,3,0\r\n4, 5.5 ,6,2\n7,8,9,1\n");
    assert_eq!((t.dims, t.len(), t.outputs()), (3, 3, 3));
    assert_eq!(t.row(1), &[4.0, 5.5, 6.0]);
    assert_eq!(
        t.targets,
        Targets::Classes {
            labels: vec![0, 2, 1],
            classes: 3
        }
    );
    let pm = ok("a,b,c\n0,1,-1\n2,3,1\n");
    assert_eq!(
        pm.targets,
        Targets::Classes {
            labels: vec![0, 1],
            classes: 2
        },
        "-1/1 read as 0/1"
    );
    let one = ok("x,LABEL\n0.5,1\n-2,0\n");
    assert_eq!((one.dims, one.outputs()), (1, 2));
    let r = ok("x,y\n1,2\n3,-4.5\n");
    assert_eq!((r.dims, r.features.clone()), (1, vec![1.0, 3.0]));
    assert_eq!(r.targets, Targets::Values(vec![2.0, -4.5]));
}

#[test]
fn labels_must_be_every_class_from_zero() {
    assert_eq!(
        err("x1,x2,label\n0,0,0\n1,1,2\n2,2,2\n"),
        "d.csv: no point has label 1, but labels go up to 2; classes must be 0 … K-1 with \
         every class present"
    );
    assert_eq!(
        err("x1,x2,label\n0,0,1\n1,1,1\n"),
        "d.csv: all 2 points have label 1; a classifier needs at least two classes (labels \
         0 … K-1, or -1/1)"
    );
    assert!(err("x,label\n0,-1\n1,-1\n").contains("all 2 points have label -1"));
    assert_eq!(
        err("x1,x2,label\n0,0,1.5\n"),
        "d.csv:2: label '1.5' must be a whole number 0 … K-1 (K ≤ 1000), or -1/1 for two classes"
    );
    assert!(err("x,label\n0,-2\n").starts_with("d.csv:2: label '-2' must be a whole number"));
    assert!(err("x,label\n0,1000\n").starts_with("d.csv:2: label '1000' must be"));
    assert_eq!(
        err("x,label\n0,0\n1,1\n\n2,-1\n"),
        "d.csv:5: label '-1' with label 0 on line 2: -1 is accepted only in -1/1 labels of \
         two classes, other labels are 0 … K-1"
    );
    assert!(err("x,label\n0,-1\n1,2\n").starts_with("d.csv:3: label '2' with label -1 on line 2"));
}

#[test]
fn every_mistake_names_file_and_line() {
    assert_eq!(err("x,y\n1,NaN\n"), "d.csv:2: 'NaN' is not a finite number");
    assert_eq!(
        err("x1,x2,label\n1,inf,0\n"),
        "d.csv:2: 'inf' is not a finite number"
    );
    assert_eq!(
        err("x1,x2,label\n1,2,0\n3,4\n"),
        "d.csv:3: 2 columns, but the header 'x1,x2,label' has 3"
    );
    assert_eq!(err("x,y\n1,2\n3,abc\n"), "d.csv:3: 'abc' is not a number");
    assert_eq!(
        err("x,label\n1,2,0\n"),
        "d.csv:2: 3 columns, but the header 'x,label' has 2"
    );
    assert_eq!(
        err("1,2\n3,4\n"),
        "d.csv:1: missing header row (expected x1,…,xd,label (classes 0 … K-1) or x,y \
         (regression)), got '1,2'"
    );
    assert!(err("x\n1\n").starts_with("d.csv:1: the header 'x' has 1 column; expected x1,…"));
    assert_eq!(
        err("x,y\n# no points\n"),
        "d.csv: the file has a header but no points"
    );
    assert!(err("\n# nothing\n").contains("no header and no points"));
}

#[test]
fn sizes_are_refused_before_anything_is_stored() {
    let wide = (0..=MAX_FEATURES + 1)
        .map(|j| format!("x{j}"))
        .collect::<Vec<_>>();
    assert_eq!(
        err(&format!("{}\n", wide.join(","))),
        "d.csv:1: the header has 1002 columns, more than the 1000 features and a target accepted"
    );
    let long = format!("x,y\n{}", "1,2\n".repeat(MAX_POINTS + 1));
    assert_eq!(
        err(&long),
        "d.csv:100002: more than 100000 points, the most accepted"
    );
    // 1000 features: at most 4000 points.
    let header = (1..=1000).map(|j| format!("x{j},")).collect::<String>() + "label";
    let row = "0,".repeat(1000) + "1\n";
    assert_eq!(
        err(&format!("{header}\n{}", row.repeat(4001))),
        "d.csv:4002: more than 4000 points of 1000 features, the most accepted (4000000 \
         numbers in all)"
    );
}

#[test]
fn a_table_survives_a_round_trip_through_a_file() {
    let dir = std::env::temp_dir().join(format!("descent-tables-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for spec in [
        "gauss:n=50,dims=4,classes=4,seed=3",
        "spirals:n=60",
        "line:n=20",
    ] {
        let t = Table::parse(spec).unwrap();
        let path = dir.join(format!("{}.csv", spec.replace([':', ',', '='], "_")));
        std::fs::write(&path, to_csv(&t)).unwrap();
        let name = path.to_str().unwrap();
        let back = Table::parse(name).unwrap();
        assert_eq!(back.spec, name);
        assert_eq!(
            (back.dims, &back.features, &back.targets),
            (t.dims, &t.features, &t.targets)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
