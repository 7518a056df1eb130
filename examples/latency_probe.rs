fn main() {
    let model = slotfill::model::JointModel::load(std::path::Path::new("/tmp/small")).unwrap();
    let text = "book a table for 4 in paris tomorrow at 7pm please";
    for _ in 0..50 {
        model.predict(&[text]).unwrap();
    }
    let mut times = Vec::new();
    for _ in 0..500 {
        let t = std::time::Instant::now();
        model.predict(&[text]).unwrap();
        times.push(t.elapsed().as_micros());
    }
    times.sort();
    println!("median {} us, p90 {} us", times[250], times[450]);
    let batch: Vec<&str> = std::iter::repeat(text).take(512).collect();
    let t = std::time::Instant::now();
    model.predict(&batch).unwrap();
    println!("batch 512: {:.0} utt/s", 512.0 / t.elapsed().as_secs_f64());
}
