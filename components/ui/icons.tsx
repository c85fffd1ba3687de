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
// (aria-hidden) because the control that holds an icon carries the label.
function icon(displayName: string, Lucide: LucideIcon) {
  function Icon({ size = 16, ...props }: IconProps) {
    return <Lucide size={size} aria-hidden="true" focusable="false" {...props} />;
  }
  Icon.displayName = displayName;
  return Icon;
}

export const DotsVerticalIcon = icon("DotsVerticalIcon", EllipsisVertical);
export const CopyIcon = icon("CopyIcon", Copy);
export const EyeIcon = icon("EyeIcon", Eye);
export const EyeOffIcon = icon("EyeOffIcon", EyeOff);
export const RefreshIcon = icon("RefreshIcon", RefreshCw);
export const PlusIcon = icon("PlusIcon", Plus);
export const TrashIcon = icon("TrashIcon", Trash);
export const WebhookIcon = icon("WebhookIcon", Webhook);
export const KeyIcon = icon("KeyIcon", KeyRound);
export const ChevronDownIcon = icon("ChevronDownIcon", ChevronDown);
export const ChevronLeftIcon = icon("ChevronLeftIcon", ChevronLeft);
export const ChevronRightIcon = icon("ChevronRightIcon", ChevronRight);
export const CheckIcon = icon("CheckIcon", Check);
export const XIcon = icon("XIcon", X);
export const ExternalLinkIcon = icon("ExternalLinkIcon", ExternalLink);
export const ChartIcon = icon("ChartIcon", ChartColumn);
export const LogOutIcon = icon("LogOutIcon", LogOut);
export const UserIcon = icon("UserIcon", User);
export const AlertTriangleIcon = icon("AlertTriangleIcon", TriangleExclamationPoint);
export const AlertCircleIcon = icon("AlertCircleIcon", CircleExclamationPoint);
export const CheckCircleIcon = icon("CheckCircleIcon", CircleCheck);
export const InfoIcon = icon("InfoIcon", Info);
export const PowerIcon = icon("PowerIcon", Power);
export const SendIcon = icon("SendIcon", Send);
export const SearchIcon = icon("SearchIcon", Search);
export const SunIcon = icon("SunIcon", Sun);
export const MoonIcon = icon("MoonIcon", Moon);
export const MonitorIcon = icon("MonitorIcon", Monitor);
