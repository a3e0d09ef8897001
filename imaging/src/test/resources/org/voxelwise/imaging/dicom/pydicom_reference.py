"""Reference reader and test-data maker for the DICOM importer tests (pydicom + numpy).

Usage:
  pixels FILE OUT          header as JSON on stdout; real values (pixel_array * slope +
                           intercept) as little-endian float64, row after row, into OUT
  stack DIR OUT            every file of DIR sorted by ImagePositionPatient[2], stacked the same
                           way (slice after slice) into OUT; JSON with the sorted positions
  header FILE              header as JSON (force=True, no pixel data needed)
  dicomdir FILE            the patient -> study -> series -> image records as JSON
  series SRC SPEC OUTDIR   copies SRC once per entry of the JSON list SPEC (see make_series)
  nometa SRC OUT           SRC written without preamble and meta, implicit VR little endian
"""
import copy
import json
import os
import sys

import numpy as np
import pydicom
from pydicom.uid import (
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    generate_uid,
)


def real_values(ds):
    arr = ds.pixel_array.astype(np.float64)
    return arr * float(ds.get("RescaleSlope", 1) or 1) + float(ds.get("RescaleIntercept", 0) or 0)


def floats(value):
    return None if value is None else [float(v) for v in value]


def header(ds):
    return {
        "transferSyntax": str(ds.file_meta.get("TransferSyntaxUID", "")),
        "sopClassUid": str(ds.get("SOPClassUID", "")),
        "sopInstanceUid": str(ds.get("SOPInstanceUID", "")),
        "seriesInstanceUid": str(ds.get("SeriesInstanceUID", "")),
        "studyInstanceUid": str(ds.get("StudyInstanceUID", "")),
        "patientId": str(ds.get("PatientID", "")),
        "modality": str(ds.get("Modality", "")),
        "rows": int(ds.get("Rows", 0) or 0),
        "columns": int(ds.get("Columns", 0) or 0),
        "pixelSpacing": floats(ds.get("PixelSpacing")),
        "imagePositionPatient": floats(ds.get("ImagePositionPatient")),
        "imageOrientationPatient": floats(ds.get("ImageOrientationPatient")),
        "rescaleSlope": float(ds.get("RescaleSlope", 1) or 1),
        "rescaleIntercept": float(ds.get("RescaleIntercept", 0) or 0),
        "hasPixelData": "PixelData" in ds,
    }


def read(path):
    """Reads a file with or without meta information (then naming the syntax it was read in)."""
    ds = pydicom.dcmread(path, force=True)
    if "TransferSyntaxUID" not in ds.file_meta:
        ds.file_meta.TransferSyntaxUID = (
            ImplicitVRLittleEndian
            if ds.is_implicit_VR
            else ExplicitVRLittleEndian if ds.is_little_endian else ExplicitVRBigEndian
        )
    return ds


def cmd_pixels(path, out):
    ds = read(path)
    real_values(ds).astype("<f8").tofile(out)
    print(json.dumps(header(ds)))


def cmd_stack(folder, out):
    datasets = [pydicom.dcmread(os.path.join(folder, f)) for f in os.listdir(folder)]
    datasets.sort(key=lambda d: float(d.ImagePositionPatient[2]))
    np.stack([real_values(d) for d in datasets]).astype("<f8").tofile(out)
    print(json.dumps({"positions": [floats(d.ImagePositionPatient) for d in datasets]}))


def cmd_header(path):
    print(json.dumps(header(read(path))))


def cmd_dicomdir(path):
    ds = pydicom.dcmread(path)
    patients = []
    for p in ds.patient_records:
        studies = []
        for st in p.children:
            series = []
            for se in st.children:
                series.append({
                    "seriesInstanceUid": str(se.get("SeriesInstanceUID", "")),
                    "images": len(se.children),
                })
            studies.append({"studyInstanceUid": str(st.get("StudyInstanceUID", "")), "series": series})
        patients.append({"patientId": str(p.get("PatientID", "")), "studies": studies})
    print(json.dumps({"patients": patients}))


def make_series(src, spec, outdir):
    """One file per entry. Keys: file (name), position [x,y,z] or z, instance, series (UID),
    seriesNumber, temporal (TemporalPositionIndex), localizer (bool), size (crop to size x size),
    marker (stored value written to pixel (0,0))."""
    base = pydicom.dcmread(src)
    default_series = generate_uid()
    for entry in spec:
        ds = copy.deepcopy(base)
        position = entry.get("position")
        if position is None:
            position = [float(v) for v in base.ImagePositionPatient]
            position[2] = entry["z"]
        ds.ImagePositionPatient = [f"{v:.4f}" for v in position]
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.InstanceNumber = entry.get("instance", 1)
        ds.SeriesInstanceUID = entry.get("series", default_series)
        ds.SeriesNumber = entry.get("seriesNumber", 1)
        if "temporal" in entry:
            ds.TemporalPositionIndex = entry["temporal"]
        if entry.get("localizer"):
            ds.ImageType = ["ORIGINAL", "PRIMARY", "LOCALIZER"]
        arr = base.pixel_array.copy()
        if "marker" in entry:
            arr[0, 0] = entry["marker"]
        if "size" in entry:
            arr = np.ascontiguousarray(arr[: entry["size"], : entry["size"]])
            ds.Rows, ds.Columns = arr.shape
        ds.PixelData = arr.tobytes()
        ds.save_as(os.path.join(outdir, entry["file"]))
    print(json.dumps({"files": len(spec)}))


def cmd_nometa(src, out):
    ds = pydicom.dcmread(src)
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    ds.preamble = None
    ds.is_implicit_VR = True
    ds.is_little_endian = True
    pydicom.filewriter.dcmwrite(out, ds, write_like_original=True)
    print(json.dumps({"transferSyntax": ImplicitVRLittleEndian}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "pixels":
        cmd_pixels(*args)
    elif command == "stack":
        cmd_stack(*args)
    elif command == "header":
        cmd_header(*args)
    elif command == "dicomdir":
        cmd_dicomdir(*args)
    elif command == "series":
        with open(args[1]) as f:
            make_series(args[0], json.load(f), args[2])
    elif command == "nometa":
        cmd_nometa(*args)
    else:
        sys.exit("unknown command " + command)
