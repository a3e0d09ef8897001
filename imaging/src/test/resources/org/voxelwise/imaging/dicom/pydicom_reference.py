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
  enhanced SRC SPEC OUT    an Enhanced CT multi-frame file from SRC's pixels (see make_enhanced)
  seg FILE OUT             a DICOM SEG: header, segments and per-frame references as JSON; its
                           decoded pixel_array (frames x rows x columns) as uint8 into OUT
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


def make_enhanced(src, spec, out):
    """One Enhanced CT Image (multi-frame) file. SPEC is a list of frames, each with z, marker
    (stored value written to pixel (0,0)) and optionally temporal (TemporalPositionIndex in the
    frame's FrameContentSequence) and intercept (per-frame RescaleIntercept). Orientation, pixel
    spacing and the default rescale go into the shared functional groups."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.sequence import Sequence

    base = pydicom.dcmread(src)
    arr = base.pixel_array
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.FrameOfReferenceUID = generate_uid()
    ds.PatientID, ds.Modality, ds.SeriesNumber, ds.InstanceNumber = "ENH", "CT", 1, 1
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"]
    ds.Rows, ds.Columns = arr.shape
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.PixelRepresentation = base.PixelRepresentation
    ds.NumberOfFrames = len(spec)
    shared = Dataset()
    measures = Dataset()
    measures.PixelSpacing = base.PixelSpacing
    measures.SliceThickness = 2.5
    shared.PixelMeasuresSequence = Sequence([measures])
    orientation = Dataset()
    orientation.ImageOrientationPatient = base.ImageOrientationPatient
    shared.PlaneOrientationSequence = Sequence([orientation])
    transform = Dataset()
    transform.RescaleIntercept, transform.RescaleSlope, transform.RescaleType = -1024, 1, "HU"
    shared.PixelValueTransformationSequence = Sequence([transform])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    frames, pixels = [], []
    for entry in spec:
        item = Dataset()
        position = Dataset()
        xyz = [float(v) for v in base.ImagePositionPatient]
        xyz[2] = entry["z"]
        position.ImagePositionPatient = [f"{v:.4f}" for v in xyz]
        item.PlanePositionSequence = Sequence([position])
        if "temporal" in entry:
            content = Dataset()
            content.TemporalPositionIndex = entry["temporal"]
            item.FrameContentSequence = Sequence([content])
        if "intercept" in entry:
            own = Dataset()
            own.RescaleIntercept, own.RescaleSlope, own.RescaleType = entry["intercept"], 1, "HU"
            item.PixelValueTransformationSequence = Sequence([own])
        frames.append(item)
        frame = arr.copy()
        frame[0, 0] = entry["marker"]
        pixels.append(frame)
    ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
    ds.PixelData = np.stack(pixels).astype(arr.dtype).tobytes()
    ds.save_as(out, write_like_original=False)
    print(json.dumps({"frames": len(spec)}))


def code(seq):
    c = seq[0]
    return [str(c.CodingSchemeDesignator), str(c.CodeValue), str(c.CodeMeaning)]


def cmd_seg(path, out):
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array.reshape(int(ds.NumberOfFrames), int(ds.Rows), int(ds.Columns))
    arr.astype(np.uint8).tofile(out)
    shared = ds.SharedFunctionalGroupsSequence[0]
    segments = []
    for s in ds.SegmentSequence:
        segments.append({
            "number": int(s.SegmentNumber),
            "label": str(s.SegmentLabel),
            "algorithmType": str(s.SegmentAlgorithmType),
            "algorithmName": str(s.get("SegmentAlgorithmName", "")),
            "type": code(s.SegmentedPropertyTypeCodeSequence),
            "category": code(s.SegmentedPropertyCategoryCodeSequence),
            "cielab": [int(v) for v in s.RecommendedDisplayCIELabValue],
        })
    frames = []
    for f in ds.PerFrameFunctionalGroupsSequence:
        source = f.DerivationImageSequence[0].SourceImageSequence[0]
        frames.append({
            "segment": int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber),
            "position": floats(f.PlanePositionSequence[0].ImagePositionPatient),
            "dimensionIndex": [int(v) for v in f.FrameContentSequence[0].DimensionIndexValues],
            "sourceSopClass": str(source.ReferencedSOPClassUID),
            "sourceSop": str(source.ReferencedSOPInstanceUID),
        })
    series = ds.ReferencedSeriesSequence[0]
    print(json.dumps({
        "sopClassUid": str(ds.SOPClassUID),
        "modality": str(ds.Modality),
        "patientId": str(ds.PatientID),
        "patientName": str(ds.PatientName),
        "studyInstanceUid": str(ds.StudyInstanceUID),
        "frameOfReferenceUid": str(ds.FrameOfReferenceUID),
        "seriesInstanceUid": str(ds.SeriesInstanceUID),
        "bitsAllocated": int(ds.BitsAllocated),
        "frames": int(ds.NumberOfFrames),
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "orientation": floats(shared.PlaneOrientationSequence[0].ImageOrientationPatient),
        "pixelSpacing": floats(shared.PixelMeasuresSequence[0].PixelSpacing),
        "referencedSeries": str(series.SeriesInstanceUID),
        "referencedInstances": [str(i.ReferencedSOPInstanceUID) for i in series.ReferencedInstanceSequence],
        "segments": segments,
        "perFrame": frames,
    }))


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
    elif command == "enhanced":
        with open(args[1]) as f:
            make_enhanced(args[0], json.load(f), args[2])
    elif command == "seg":
        cmd_seg(*args)
    elif command == "nometa":
        cmd_nometa(*args)
    else:
        sys.exit("unknown command " + command)
