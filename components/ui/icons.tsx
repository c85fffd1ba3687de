import {
  ChartColumn,
  Check,
  ChevronDown,
  ChevronLeft,
  ChevronRight,
  CircleCheck,
  CircleExclamationPoint,
  Copy,
  EllipsisVertical,
  ExternalLink,
  Eye,
  EyeOff,
  Info,
  KeyRound,
  LogOut,
  Monitor,
  Moon,
  Plus,
  Power,
  RefreshCw,
  Search,
  Send,
  Sun,
  Trash,
  TriangleExclamationPoint,
  User,
  Webhook,
  X,
  type LucideIcon,
  type LucideProps,
} from "lucide-react";

export type IconProps = Omit<LucideProps, "ref" | "size"> & { size?: number };

// Lucide draws the icons; this keeps the console's names and its defaults: 16 px, and decorative
// (aria-hidden) because the control that holds an icon carries the label. Each is marked pure, so
// a bundle keeps only the icons its code uses (the first load had all of them; issue 13).
function icon(displayName: string, Lucide: LucideIcon) {
  function Icon({ size = 16, ...props }: IconProps) {
    return <Lucide size={size} aria-hidden="true" focusable="false" {...props} />;
  }
  Icon.displayName = displayName;
  return Icon;
}

export const DotsVerticalIcon = /* @__PURE__ */ icon("DotsVerticalIcon", EllipsisVertical);
export const CopyIcon = /* @__PURE__ */ icon("CopyIcon", Copy);
export const EyeIcon = /* @__PURE__ */ icon("EyeIcon", Eye);
export const EyeOffIcon = /* @__PURE__ */ icon("EyeOffIcon", EyeOff);
export const RefreshIcon = /* @__PURE__ */ icon("RefreshIcon", RefreshCw);
export const PlusIcon = /* @__PURE__ */ icon("PlusIcon", Plus);
export const TrashIcon = /* @__PURE__ */ icon("TrashIcon", Trash);
export const WebhookIcon = /* @__PURE__ */ icon("WebhookIcon", Webhook);
export const KeyIcon = /* @__PURE__ */ icon("KeyIcon", KeyRound);
export const ChevronDownIcon = /* @__PURE__ */ icon("ChevronDownIcon", ChevronDown);
export const ChevronLeftIcon = /* @__PURE__ */ icon("ChevronLeftIcon", ChevronLeft);
export const ChevronRightIcon = /* @__PURE__ */ icon("ChevronRightIcon", ChevronRight);
export const CheckIcon = /* @__PURE__ */ icon("CheckIcon", Check);
export const XIcon = /* @__PURE__ */ icon("XIcon", X);
export const ExternalLinkIcon = /* @__PURE__ */ icon("ExternalLinkIcon", ExternalLink);
export const ChartIcon = /* @__PURE__ */ icon("ChartIcon", ChartColumn);
export const LogOutIcon = /* @__PURE__ */ icon("LogOutIcon", LogOut);
export const UserIcon = /* @__PURE__ */ icon("UserIcon", User);
export const AlertTriangleIcon = /* @__PURE__ */ icon("AlertTriangleIcon", TriangleExclamationPoint);
export const AlertCircleIcon = /* @__PURE__ */ icon("AlertCircleIcon", CircleExclamationPoint);
export const CheckCircleIcon = /* @__PURE__ */ icon("CheckCircleIcon", CircleCheck);
export const InfoIcon = /* @__PURE__ */ icon("InfoIcon", Info);
export const PowerIcon = /* @__PURE__ */ icon("PowerIcon", Power);
export const SendIcon = /* @__PURE__ */ icon("SendIcon", Send);
export const SearchIcon = /* @__PURE__ */ icon("SearchIcon", Search);
export const SunIcon = /* @__PURE__ */ icon("SunIcon", Sun);
export const MoonIcon = /* @__PURE__ */ icon("MoonIcon", Moon);
export const MonitorIcon = /* @__PURE__ */ icon("MonitorIcon", Monitor);
